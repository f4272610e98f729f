import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CallEvent } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, parseEvent, type Subscription } from '@gateway/platform';
import { CallRecordRepository } from './call-record.repository';

/** Records every call event; a failure leaves the event unacknowledged so it is delivered again. */
@Injectable()
export class CallEventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly records: CallRecordRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      { topic: CallEvent.topic.name, groupId: 'audit' },
      async (message) => {
        await this.records.record(parseEvent(CallEvent, message));
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }
}
