import { Module } from '@nestjs/common';
import { CallMetricsConsumer } from './metrics/call-metrics.consumer';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { MetricsController } from './metrics/metrics.controller';

@Module({
  controllers: [MetricsController],
  providers: [{ provide: GatewayMetrics, useFactory: () => new GatewayMetrics() }, CallMetricsConsumer],
})
export class TelemetryModule {}
