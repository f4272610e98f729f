import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@gateway/platform';
import { MetricsPipeline } from './metrics-pipeline';

@Controller('metrics')
@Public('Prometheus scrapes without credentials; it carries counts, never payloads or credentials')
export class MetricsController {
  constructor(private readonly pipeline: MetricsPipeline) {}

  /** Prometheus text exposition of the OpenTelemetry metrics (the Prometheus reader's output). */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.pipeline.scrape();
  }
}
