import { Controller, Get, Header } from '@nestjs/common';
import { MetricsPipeline } from './metrics-pipeline';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly pipeline: MetricsPipeline) {}

  /** Prometheus text exposition of the OpenTelemetry metrics (the Prometheus reader's output). */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.pipeline.scrape();
  }
}
