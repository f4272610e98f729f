import type { BusHealth, EventBus, OutgoingMessage, PartitionLag } from './event-bus';

/** An EventBus for unit tests that records what is published; nothing else of the bus is used. */
export class RecordingBus implements EventBus {
  readonly published: OutgoingMessage[] = [];
  publish(message: OutgoingMessage): void {
    this.published.push(message);
  }
  subscribe(): never {
    throw new Error('not used');
  }
  subscribeBatches(): never {
    throw new Error('not used');
  }
  ensureTopics(): Promise<void> {
    return Promise.resolve();
  }
  health(): BusHealth {
    return { ready: true, detail: 'recording', buffered: 0, spooled: 0, dropped: 0 };
  }
  flush(): Promise<number> {
    return Promise.resolve(0);
  }
  consumerLag(): Promise<PartitionLag[]> {
    return Promise.resolve([]);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
