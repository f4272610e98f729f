import type { TopicSpec } from '@gateway/contracts';

/** A message to publish. Every message has a key: per-key order is what consumers rely on. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  /** JSON-serialisable value; null publishes a tombstone (compacted topics). */
  readonly value: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface IncomingMessage {
  readonly topic: string;
  readonly key: string;
  /** Parsed JSON value; null for a tombstone. */
  readonly value: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly partition: number;
  readonly offset: string;
}

/** Throwing makes the bus redeliver the message (after a backoff); returning acknowledges it. */
export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** Consecutive messages of one partition, in offset order; acknowledged together on success. */
export type BatchHandler = (messages: readonly IncomingMessage[]) => Promise<void>;

export interface SubscriptionOptions {
  readonly topic: string;
  /** Consumers sharing a group id share the work; each group sees every message. */
  readonly groupId: string;
  /** Read the topic from its start (state topics) instead of from the group's committed offset. */
  readonly fromBeginning?: boolean;
}

export interface BatchSubscriptionOptions extends SubscriptionOptions {
  /** The most messages one call gets: whatever is waiting on the partition, up to this many. */
  readonly maxBatchSize: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface BusHealth {
  /** True when the bus can deliver right now (connected to the broker, for Kafka). */
  readonly ready: boolean;
  readonly detail: string;
  /** Messages accepted by publish() and not yet acknowledged by the broker (memory and spool). */
  readonly buffered: number;
  /** Of those, the messages waiting in the disk spool. */
  readonly spooled: number;
  /** Messages dropped because the buffer and spool were full. */
  readonly dropped: number;
}

/** How far one consumer group is behind on one partition of a topic. */
export interface PartitionLag {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /**
   * The next offset the group will read (Kafka's committed offset); undefined while the group has
   * committed nothing on this partition, since where it then starts depends on its reset policy.
   */
  readonly committedOffset: number | undefined;
  /** The offset the next message published to the partition gets (the high watermark). */
  readonly logEndOffset: number;
  /** logEndOffset - committedOffset; undefined when committedOffset is. */
  readonly lag: number | undefined;
}

/**
 * The one messaging port every service goes through (STYLE.md rule 4). Two adapters: Kafka
 * (kafkajs) for the distributed topology and an in-process bus for the embedded default.
 */
export interface EventBus {
  /**
   * Accepts a message for delivery. Never throws for broker trouble and never waits on the
   * broker: an agent's call must not fail or stall because Kafka is down. Messages wait in a
   * bounded buffer and are delivered, in order per key, when the broker is reachable.
   */
  publish(message: OutgoingMessage): void;
  /** Starts consuming; survives broker outages by reconnecting on its own. */
  subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription>;
  /**
   * Like subscribe, for handlers that do better with many messages at once (one database
   * transaction for a batch). A handler that throws gets the whole batch again; one that rejects
   * a batch as unprocessable gets its messages one by one, so only the bad one is skipped.
   */
  subscribeBatches(options: BatchSubscriptionOptions, handler: BatchHandler): Promise<Subscription>;
  /** Creates missing topics with their partitions and cleanup policy; idempotent. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  health(): BusHealth;
  /** Resolves when the buffer is empty or the timeout passed (then returns how many are left). */
  flush(timeoutMs: number): Promise<number>;
  /**
   * The lag of the given consumer groups (every group the bus knows, without ids) on each
   * partition they have consumed from. Rejects while the broker is unreachable.
   */
  consumerLag(groupIds?: readonly string[]): Promise<PartitionLag[]>;
  close(): Promise<void>;
}

export const EVENT_BUS = Symbol('EVENT_BUS');
