import type { Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  type IMetricReader,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { createLogger } from '@gateway/platform';
import type { OtlpMetricsConfig } from '../telemetry-config';
import { createOtlpMetricExporter } from './otlp-metric-exporter.factory';
import { meterScope, type StateMetric, StateMetricsProducer } from './state-metrics.producer';

export interface MetricsPipelineOptions {
  readonly serviceName: string;
  readonly instanceId: string;
  readonly otlpMetrics?: OtlpMetricsConfig;
  /** Extra views, e.g. cardinality limits for high-cardinality instruments. */
  readonly views?: ViewOptions[];
}

/**
 * The telemetry service's one set of metrics and the two ways out of it: a Prometheus reader
 * that GET /metrics serializes on each scrape, and, when an OTLP endpoint is configured, a
 * periodic OTLP push. The meter provider is this service's own, not the process-global one of
 * the tracing SDK, so it starts and stops with the module.
 */
export class MetricsPipeline {
  readonly meter: Meter;
  private readonly provider: MeterProvider;
  private readonly prometheus: PrometheusExporter;
  private readonly stateMetrics = new StateMetricsProducer();
  // The default scope labels would put otel_scope_name on every series; one scope here says nothing.
  private readonly serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
  private readonly logger = createLogger('metrics-pipeline');

  constructor(options: MetricsPipelineOptions) {
    const metricProducers = [this.stateMetrics];
    this.prometheus = new PrometheusExporter({ preventServerStart: true, metricProducers });
    const readers: IMetricReader[] = [this.prometheus];
    if (options.otlpMetrics) {
      const { protocol, url, exportIntervalMs, exportTimeoutMs } = options.otlpMetrics;
      readers.push(
        new PeriodicExportingMetricReader({
          exporter: createOtlpMetricExporter(protocol, url),
          exportIntervalMillis: exportIntervalMs,
          exportTimeoutMillis: exportTimeoutMs,
          metricProducers,
        }),
      );
      this.logger.info({ protocol, url, exportIntervalMs }, 'exporting metrics over OTLP');
    }
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': options.serviceName,
        'service.instance.id': options.instanceId,
      }),
      readers,
      views: options.views ?? [],
    });
    this.meter = this.provider.getMeter(meterScope.name);
  }

  /** Adds a metric that is read off current state at each collection (see StateMetricsProducer). */
  registerState(metric: StateMetric): void {
    this.stateMetrics.register(metric);
  }

  /** Prometheus text exposition (format 0.0.4) of every metric. */
  async scrape(): Promise<string> {
    const { resourceMetrics, errors } = await this.prometheus.collect();
    if (errors.length > 0) this.logger.warn({ errors: errors.map(String) }, 'metric collection errors');
    return this.serializer.serialize(resourceMetrics);
  }

  /** Pushes what is left over OTLP, then stops every reader. */
  async onApplicationShutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}
