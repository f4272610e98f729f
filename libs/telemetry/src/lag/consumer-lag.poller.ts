import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createLogger, errorMessage, EVENT_BUS, type EventBus, type PartitionLag } from '@gateway/platform';
import { InstanceRegistry } from '../fleet/instance-registry';
import { MetricsPipeline } from '../metrics/metrics-pipeline';
import { TELEMETRY_CONFIG, type TelemetryConfig } from '../telemetry-config';

/**
 * Polls the consumer lag of the gateway's groups: the configured ones (audit and telemetry on
 * the call stream) and those the live replicas announce (each router's catalog group), and
 * exports it as mcp_gateway_kafka_consumer_lag. Polling runs on its own timer so a scrape never
 * waits on the broker; a failed poll drops the figures rather than showing stale ones as current.
 */
@Injectable()
export class ConsumerLagPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('consumer-lag');
  private latest: readonly PartitionLag[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private failing = false;

  constructor(
    @Inject(TELEMETRY_CONFIG) private readonly config: TelemetryConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly registry: InstanceRegistry,
    pipeline: MetricsPipeline,
  ) {
    pipeline.registerState({
      name: 'mcp_gateway_kafka_consumer_lag',
      description: 'Messages a consumer group has yet to process: log end offset minus committed offset',
      kind: 'gauge',
      observe: () =>
        this.latest.flatMap(({ groupId, topic, partition, lag }) =>
          lag === undefined
            ? []
            : [{ attributes: { group: groupId, topic, partition: String(partition) }, value: lag }],
        ),
    });
  }

  onApplicationBootstrap(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.config.lagIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** One poll; a poll still running is joined rather than doubled. */
  poll(): Promise<void> {
    this.polling ??= this.fetch().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async fetch(): Promise<void> {
    const groups = [...new Set([...this.config.lagGroups, ...this.registry.consumerGroups()])];
    try {
      this.latest = await this.bus.consumerLag(groups);
      if (this.failing) this.logger.info('consumer lag readable again');
      this.failing = false;
    } catch (error) {
      this.latest = [];
      if (!this.failing) this.logger.warn({ err: errorMessage(error) }, 'cannot read consumer lag');
      this.failing = true;
    }
  }
}
