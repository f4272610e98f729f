import { type Attributes, ValueType } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';

/** The instrumentation scope of every metric the telemetry service exports. */
export const meterScope = { name: '@gateway/telemetry' };

export interface StatePoint {
  readonly attributes: Attributes;
  readonly value: number;
  /** For counters: when this count started from zero (epoch ms); defaults to the producer's start. */
  readonly startTimeMs?: number;
}

/** A metric read off current state at each collection instead of aggregated from measurements. */
export interface StateMetric {
  readonly name: string;
  readonly description: string;
  readonly unit?: string;
  /** A counter is exported as a cumulative monotonic sum (and gets _total in Prometheus). */
  readonly kind: 'gauge' | 'counter';
  readonly observe: () => readonly StatePoint[];
}

/**
 * Exports state metrics (which upstreams are up, consumer lag) to every reader of the meter
 * provider. Observable instruments would fit, but under cumulative temporality, which the
 * Prometheus reader always uses, the SDK keeps exporting an attribute set its callback stopped
 * observing: a forgotten router would stay "up" forever. Here each collection is the whole
 * truth, so a series disappears with its source.
 */
export class StateMetricsProducer implements MetricProducer {
  private readonly metrics: StateMetric[] = [];
  private readonly startedAtMs = Date.now();

  register(metric: StateMetric): void {
    this.metrics.push(metric);
  }

  collect(): Promise<CollectionResult> {
    const nowMs = Date.now();
    const errors: unknown[] = [];
    const metrics: MetricData[] = [];
    for (const metric of this.metrics) {
      try {
        const points = metric.observe();
        if (points.length > 0) metrics.push(this.toMetricData(metric, points, nowMs));
      } catch (error) {
        errors.push(error);
      }
    }
    return Promise.resolve({
      resourceMetrics: { resource: emptyResource(), scopeMetrics: [{ scope: meterScope, metrics }] },
      errors,
    });
  }

  private toMetricData(metric: StateMetric, points: readonly StatePoint[], nowMs: number): MetricData {
    const descriptor = {
      name: metric.name,
      description: metric.description,
      unit: metric.unit ?? '',
      valueType: ValueType.DOUBLE,
    };
    const dataPoints = points.map((point) => ({
      attributes: point.attributes,
      value: point.value,
      startTime: millisToHrTime(point.startTimeMs ?? this.startedAtMs),
      endTime: millisToHrTime(nowMs),
    }));
    const aggregationTemporality = AggregationTemporality.CUMULATIVE;
    return metric.kind === 'counter'
      ? {
          descriptor,
          aggregationTemporality,
          dataPointType: DataPointType.SUM,
          isMonotonic: true,
          dataPoints,
        }
      : { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints };
  }
}
