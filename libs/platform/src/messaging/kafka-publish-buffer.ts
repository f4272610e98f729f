import type { Message, TopicMessages } from 'kafkajs';
import type { Logger } from '../observability/logger';
import { FifoQueue } from './fifo-queue';

interface BufferedMessage {
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
}

export const maxBatchMessages = 500;
// Kafka's default max.message.bytes (~1 MiB) limits one partition's record batch, and a whole
// batch may land on one partition; these caps keep a batch below it with room for overhead.
const maxBatchBytes = 900_000;
const maxMessageBytes = 900_000;
const dropWarningIntervalMs = 5_000;

function messageBytes(key: string, value: string | null, headers: Readonly<Record<string, string>>): number {
  let bytes = Buffer.byteLength(key) + (value === null ? 0 : Buffer.byteLength(value));
  for (const [name, headerValue] of Object.entries(headers)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(headerValue);
  }
  return bytes;
}

/**
 * The messages publish() accepted and the broker has not acknowledged: a bounded queue plus
 * the batch being sent. The batch stays the same until acknowledged, because the idempotent
 * producer may only resend a batch unchanged (same sequence numbers) for the broker to
 * recognise a duplicate. When full, the oldest message not in flight is dropped.
 */
export class KafkaPublishBuffer {
  private readonly pending = new FifoQueue<BufferedMessage>();
  private inFlight: readonly BufferedMessage[] = [];
  private droppedCount = 0;
  private lastDropWarningAt = 0;

  constructor(
    private readonly maxMessages: number,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.pending.length + this.inFlight.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Messages waiting behind the batch in flight. */
  get waiting(): number {
    return this.pending.length;
  }

  get hasBatchInFlight(): boolean {
    return this.inFlight.length > 0;
  }

  add(topic: string, key: string, value: string | null, headers: Readonly<Record<string, string>>): void {
    const bytes = messageBytes(key, value, headers);
    if (bytes > maxMessageBytes) {
      this.drop('message too large', { topic, key, bytes });
      return;
    }
    if (this.size >= this.maxMessages) {
      // Only a buffer smaller than one batch can have nothing but in-flight messages.
      const oldest = this.pending.shift();
      this.drop('buffer full', { topic: oldest?.topic ?? topic });
      if (oldest === undefined) return;
    }
    this.pending.push({ topic, message: { key, value, headers: { ...headers } }, bytes });
  }

  /** Counts a message that was refused, warning at most every few seconds. */
  drop(reason: string, fields: Record<string, unknown>): void {
    this.droppedCount += 1;
    const now = Date.now();
    if (now - this.lastDropWarningAt < dropWarningIntervalMs) return;
    this.lastDropWarningAt = now;
    this.logger.warn(
      { ...fields, reason, droppedSoFar: this.droppedCount, buffered: this.size },
      'event dropped',
    );
  }

  /** The batch to send: the one in flight, or a new one from the head of the queue. */
  batch(): TopicMessages[] {
    if (this.inFlight.length === 0) this.inFlight = this.takeBatch();
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of this.inFlight) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  /** The broker acknowledged the batch in flight. */
  acknowledge(): void {
    this.inFlight = [];
  }

  private takeBatch(): BufferedMessage[] {
    const batch: BufferedMessage[] = [];
    let bytes = 0;
    for (let next = this.pending.peek(); next !== undefined; next = this.pending.peek()) {
      if (batch.length >= maxBatchMessages || (batch.length > 0 && bytes + next.bytes > maxBatchBytes)) break;
      this.pending.shift();
      batch.push(next);
      bytes += next.bytes;
    }
    return batch;
  }
}
