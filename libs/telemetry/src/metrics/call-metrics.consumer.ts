import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CallEvent } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, parseEvent, type Subscription } from '@gateway/platform';
import { TELEMETRY_CONFIG, type TelemetryConfig } from '../telemetry-config';
import { CallMetrics } from './call-metrics';

@Injectable()
export class CallMetricsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(
    @Inject(TELEMETRY_CONFIG) private readonly config: TelemetryConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly metrics: CallMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      { topic: CallEvent.topic.name, groupId: this.config.callsGroup },
      async (message) => {
        this.metrics.record(parseEvent(CallEvent, message));
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }
}
