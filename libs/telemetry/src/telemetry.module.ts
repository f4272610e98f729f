import { Module } from '@nestjs/common';
import { FleetMetrics } from './fleet/fleet-metrics';
import { InstanceHeartbeatConsumer } from './fleet/instance-heartbeat.consumer';
import { InstanceRegistry } from './fleet/instance-registry';
import { ConsumerLagPoller } from './lag/consumer-lag.poller';
import { CallMetrics, callMetricsViews } from './metrics/call-metrics';
import { CallMetricsConsumer } from './metrics/call-metrics.consumer';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsPipeline } from './metrics/metrics-pipeline';
import { loadTelemetryConfig, TELEMETRY_CONFIG, type TelemetryConfig } from './telemetry-config';

/**
 * Gateway-wide metrics: calls from mcp.gateway.calls.v1, fleet health from
 * mcp.gateway.instances.v1, consumer lag from the bus; scraped on GET /metrics and pushed over
 * OTLP when configured. Its configuration is read from the environment when the module starts,
 * so the embedded launcher and the telemetry app use it alike.
 */
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: TELEMETRY_CONFIG, useFactory: () => loadTelemetryConfig() },
    {
      provide: MetricsPipeline,
      useFactory: (config: TelemetryConfig) => new MetricsPipeline({ ...config, views: callMetricsViews }),
      inject: [TELEMETRY_CONFIG],
    },
    {
      provide: CallMetrics,
      useFactory: (pipeline: MetricsPipeline) => new CallMetrics(pipeline.meter),
      inject: [MetricsPipeline],
    },
    { provide: InstanceRegistry, useFactory: () => new InstanceRegistry() },
    {
      provide: FleetMetrics,
      useFactory: (pipeline: MetricsPipeline, registry: InstanceRegistry) =>
        new FleetMetrics(pipeline, registry),
      inject: [MetricsPipeline, InstanceRegistry],
    },
    CallMetricsConsumer,
    InstanceHeartbeatConsumer,
    ConsumerLagPoller,
  ],
})
export class TelemetryModule {}
