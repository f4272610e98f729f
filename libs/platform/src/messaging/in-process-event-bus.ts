import { isUnprocessable } from './publish-event';
import type { TopicSpec } from '@gateway/contracts';
import { createLogger, type Logger } from '../observability/logger';
import type {
  BatchHandler,
  BatchSubscriptionOptions,
  BusHealth,
  EventBus,
  IncomingMessage,
  MessageHandler,
  OutgoingMessage,
  PartitionLag,
  Subscription,
  SubscriptionOptions,
} from './event-bus';
import { EventBusClosedError } from './event-bus-closed.error';
import { parseValue, serializeValue } from './message-codec';
import { type StoredRecord, TopicLog } from './in-process-topic-log';
import { Backoff, type BackoffOptions, defaultBackoff, errorMessage, sleep } from '../retry/backoff';
import { injectTraceContext, runInConsumerSpans } from './trace-propagation';

export interface InProcessEventBusOptions {
  /** Records kept per partition of a non-compacted topic (the tail a late subscriber can read). */
  readonly retainedMessagesPerPartition?: number;
  /** Delays between redeliveries of a message whose handler threw. */
  readonly retryBackoff?: BackoffOptions;
  readonly logger?: Logger;
}

interface Member {
  readonly handler: BatchHandler;
  readonly maxBatchSize: number;
  readonly abort: AbortController;
  /** Deliveries in progress, so closing the subscription can wait for them. */
  readonly inFlight: Set<Promise<boolean>>;
}

/** A consumer group on one topic: a position per partition, shared by its members. */
class GroupState {
  readonly members: Member[] = [];
  readonly pumping: boolean[];

  constructor(
    readonly groupId: string,
    readonly positions: number[],
  ) {
    this.pumping = positions.map(() => false);
  }

  /** Partitions are spread over members like Kafka's round-robin assignment. */
  memberFor(partition: number): Member | undefined {
    return this.members.length === 0 ? undefined : this.members[partition % this.members.length];
  }
}

interface TopicState {
  log: TopicLog;
  /** True when ensureTopics declared the topic; publish/subscribe create undeclared ones on the fly. */
  declared: boolean;
  readonly groups: Map<string, GroupState>;
}

const defaultRetained = 1_000;

/**
 * The embedded default's event bus: Kafka's semantics where consumers rely on them, in memory.
 * Compacted topics keep the latest value per key (a tombstone deletes it) so a late
 * `fromBeginning` subscriber reads current state; other topics keep a bounded tail. Each group
 * gets every message once; within a group a partition is handled by one member at a time, so
 * per-key order holds; a failing handler is retried with backoff before its partition moves on.
 */
export class InProcessEventBus implements EventBus {
  private readonly topics = new Map<string, TopicState>();
  private readonly retained: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly logger: Logger;
  private dropped = 0;
  private closed = false;

  constructor(options: InProcessEventBusOptions = {}) {
    this.retained = options.retainedMessagesPerPartition ?? defaultRetained;
    this.retryBackoff = options.retryBackoff ?? defaultBackoff;
    this.logger = options.logger ?? createLogger('in-process-bus');
  }

  publish(message: OutgoingMessage): void {
    const value = serializeValue(message.topic, message.value);
    if (this.closed) {
      this.dropped += 1;
      this.logger.warn({ topic: message.topic }, 'publish after close; message dropped');
      return;
    }
    const headers = injectTraceContext(message.headers);
    const topic = this.topicState(message.topic);
    const partition = topic.log.partitionFor(message.key);
    const log = topic.log.partitions[partition];
    if (!log) return;
    log.append(message.key, value, headers);
    if (log.needsCompaction()) log.compact(this.lowWatermark(topic, partition));
    for (const group of topic.groups.values()) this.schedulePump(message.topic, group, partition);
  }

  subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription> {
    return this.subscribeBatches({ ...options, maxBatchSize: 1 }, ([message]) => handler(message!));
  }

  subscribeBatches(options: BatchSubscriptionOptions, handler: BatchHandler): Promise<Subscription> {
    if (this.closed) return Promise.reject(new EventBusClosedError('The event bus is closed'));
    const topic = this.topicState(options.topic);
    const group = topic.groups.get(options.groupId) ?? this.createGroup(topic, options);
    const member: Member = {
      handler,
      maxBatchSize: Math.max(1, options.maxBatchSize),
      abort: new AbortController(),
      inFlight: new Set(),
    };
    group.members.push(member);
    this.scheduleAll(options.topic, group);
    return Promise.resolve({ close: () => this.leave(options.topic, group, member) });
  }

  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    for (const spec of topics) this.declareTopic(spec);
    return Promise.resolve();
  }

  health(): BusHealth {
    return {
      ready: !this.closed,
      detail: this.closed ? 'closed' : `in-process bus, ${this.topics.size} topics`,
      buffered: 0,
      spooled: 0,
      dropped: this.dropped,
    };
  }

  /** Nothing is ever buffered: publish() appends to the topic before it returns. */
  flush(_timeoutMs: number): Promise<number> {
    return Promise.resolve(0);
  }

  /** A group's position is its committed offset: it moves once a handler has succeeded. */
  consumerLag(groupIds?: readonly string[]): Promise<PartitionLag[]> {
    if (this.closed) return Promise.reject(new EventBusClosedError('The event bus is closed'));
    const wanted = groupIds && new Set(groupIds);
    const lags: PartitionLag[] = [];
    for (const [topic, state] of this.topics) {
      for (const group of state.groups.values()) {
        if (wanted && !wanted.has(group.groupId)) continue;
        state.log.partitions.forEach((log, partition) => {
          const committedOffset = group.positions[partition] ?? 0;
          const lag = log.endOffset - committedOffset;
          lags.push({
            groupId: group.groupId,
            topic,
            partition,
            committedOffset,
            logEndOffset: log.endOffset,
            lag,
          });
        });
      }
    }
    return Promise.resolve(lags);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const leaving: Promise<void>[] = [];
    for (const [name, topic] of this.topics) {
      for (const group of topic.groups.values()) {
        for (const member of [...group.members]) leaving.push(this.leave(name, group, member));
      }
    }
    await Promise.all(leaving);
  }

  private topicState(name: string): TopicState {
    let topic = this.topics.get(name);
    if (!topic) {
      // Kafka would make the publisher wait for the topic; in one process there is nobody to
      // wait for, so an undeclared topic starts as a single-partition, non-compacted one.
      const spec: TopicSpec = { name, key: 'key', compacted: false, partitions: 1 };
      topic = { log: new TopicLog(spec, this.retained), declared: false, groups: new Map() };
      this.topics.set(name, topic);
    }
    return topic;
  }

  private declareTopic(spec: TopicSpec): void {
    const existing = this.topics.get(spec.name);
    if (!existing) {
      this.topics.set(spec.name, {
        log: new TopicLog(spec, this.retained),
        declared: true,
        groups: new Map(),
      });
      return;
    }
    if (existing.declared) return;
    existing.declared = true;
    if (existing.log.isEmpty() && existing.groups.size === 0) {
      existing.log = new TopicLog(spec, this.retained);
    } else {
      this.logger.warn(
        { topic: spec.name },
        'topic was used before ensureTopics declared it; keeping its first layout',
      );
    }
  }

  private createGroup(topic: TopicState, options: SubscriptionOptions): GroupState {
    // Purge tombstones the existing groups have read, so the new group starts from current state.
    topic.log.partitions.forEach((log, partition) => log.compact(this.lowWatermark(topic, partition)));
    const positions = topic.log.partitions.map((log) => (options.fromBeginning ? 0 : log.endOffset));
    const group = new GroupState(options.groupId, positions);
    topic.groups.set(options.groupId, group);
    return group;
  }

  private lowWatermark(topic: TopicState, partition: number): number {
    let low = Number.POSITIVE_INFINITY;
    for (const group of topic.groups.values()) low = Math.min(low, group.positions[partition] ?? 0);
    return low;
  }

  private scheduleAll(topicName: string, group: GroupState): void {
    group.positions.forEach((_position, partition) => this.schedulePump(topicName, group, partition));
  }

  /** Starts the partition's delivery loop unless it already runs (it then sees the new record). */
  private schedulePump(topicName: string, group: GroupState, partition: number): void {
    if (group.pumping[partition] || group.members.length === 0) return;
    group.pumping[partition] = true;
    // Asynchronous like Kafka: publish() returns before any handler runs.
    setImmediate(() => {
      void this.pump(topicName, group, partition);
    });
  }

  private async pump(topicName: string, group: GroupState, partition: number): Promise<void> {
    const log = this.topics.get(topicName)?.log.partitions[partition];
    for (;;) {
      const member = group.memberFor(partition);
      const records: StoredRecord[] = [];
      for (let next = group.positions[partition] ?? 0; member && records.length < member.maxBatchSize;) {
        const record = log?.recordAtOrAfter(next);
        if (!record) break;
        records.push(record);
        next = record.offset + 1;
      }
      const last = records.at(-1);
      // The flag is cleared in the same tick as the last check, so no publish can slip between.
      if (!last || !member || this.closed) break;
      if (await this.deliver(member, topicName, group.groupId, partition, records)) {
        group.positions[partition] = last.offset + 1;
      }
    }
    group.pumping[partition] = false;
  }

  /** Delivers until the handler succeeds (true) or its member leaves (false: redeliver to another). */
  private deliver(
    member: Member,
    topic: string,
    groupId: string,
    partition: number,
    records: readonly StoredRecord[],
  ): Promise<boolean> {
    const delivery = this.deliverWithRetry(member, topic, groupId, partition, records);
    member.inFlight.add(delivery);
    return delivery.finally(() => member.inFlight.delete(delivery));
  }

  private async deliverWithRetry(
    member: Member,
    topic: string,
    groupId: string,
    partition: number,
    records: readonly StoredRecord[],
  ): Promise<boolean> {
    const backoff = new Backoff(this.retryBackoff);
    const record = records[0]!;
    while (!member.abort.signal.aborted) {
      const messages = records.map((each) => toIncomingMessage(topic, partition, each));
      try {
        await runInConsumerSpans('in-process', groupId, messages, () => member.handler(messages));
        return true;
      } catch (error) {
        if (isUnprocessable(error) && records.length > 1) {
          // One of them breaks its contract: one by one, the others are handled and it is skipped.
          for (const single of records) {
            if (!(await this.deliverWithRetry(member, topic, groupId, partition, [single]))) return false;
          }
          return true;
        }
        if (isUnprocessable(error)) {
          this.logger.error(
            { topic, groupId, partition, offset: record.offset, key: record.key, err: errorMessage(error) },
            'message breaks its contract; skipped',
          );
          return true;
        }
        const retryInMs = backoff.next();
        this.logger.warn(
          {
            topic,
            groupId,
            partition,
            offset: record.offset,
            key: record.key,
            err: errorMessage(error),
            retryInMs,
          },
          'message handler failed; redelivering',
        );
        await sleep(retryInMs, member.abort.signal);
      }
    }
    return false;
  }

  private async leave(topicName: string, group: GroupState, member: Member): Promise<void> {
    const index = group.members.indexOf(member);
    if (index < 0) return;
    group.members.splice(index, 1);
    member.abort.abort();
    await Promise.allSettled([...member.inFlight]);
    // The partitions this member had move to the remaining members.
    if (!this.closed) this.scheduleAll(topicName, group);
  }
}

function toIncomingMessage(topic: string, partition: number, record: StoredRecord): IncomingMessage {
  return {
    topic,
    key: record.key,
    value: parseValue(record.value),
    headers: record.headers,
    partition,
    offset: String(record.offset),
  };
}
