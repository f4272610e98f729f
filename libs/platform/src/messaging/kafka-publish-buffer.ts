import type { Message, TopicMessages } from 'kafkajs';
import type { Logger } from '../observability/logger';
import type { DiskSpool, SpooledMessage } from './disk-spool';
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

function toBuffered(spooled: SpooledMessage): BufferedMessage {
  const { topic, key, value, headers } = spooled;
  return {
    topic,
    message: { key, value, headers: { ...headers } },
    bytes: messageBytes(key, value, headers),
  };
}

function toSpooled({ topic, message }: BufferedMessage): SpooledMessage {
  return {
    topic,
    key: message.key as string,
    value: message.value as string | null,
    headers: (message.headers ?? {}) as Record<string, string>,
  };
}

/**
 * The messages publish() accepted and the broker has not acknowledged: a bounded queue in
 * memory, optionally backed by a disk spool, plus the batch being sent. The batch stays the
 * same until acknowledged, because the idempotent producer may only resend a batch unchanged
 * (same sequence numbers) for the broker to recognise a duplicate.
 *
 * When memory is full the waiting messages move to the spool, which therefore only ever holds
 * messages older than those in memory; batches come from the spool first, so order holds. With
 * no spool (or a spool that cannot be written) the oldest message not in flight is dropped.
 */
export class KafkaPublishBuffer {
  private readonly pending = new FifoQueue<BufferedMessage>();
  private inFlight: readonly BufferedMessage[] = [];
  private inFlightFromSpool = false;
  private droppedCount = 0;
  private lastDropWarningAt = 0;

  constructor(
    private readonly maxMessages: number,
    private readonly logger: Logger,
    private readonly spool?: DiskSpool,
  ) {}

  get size(): number {
    return this.inMemory + (this.spool?.size ?? 0);
  }

  /** Messages on disk, waiting or in flight. */
  get spooled(): number {
    return this.spool?.size ?? 0;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Messages waiting behind the batch in flight. */
  get waiting(): number {
    return this.pending.length + (this.spool?.available ?? 0);
  }

  private get inMemory(): number {
    return this.pending.length + (this.inFlightFromSpool ? 0 : this.inFlight.length);
  }

  /** Counts messages the spool lost (its limit, an unreadable line). */
  countSpoolDrop(count: number, reason: string): void {
    this.drop(reason, { count }, count);
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
    const message: BufferedMessage = { topic, message: { key, value, headers: { ...headers } }, bytes };
    if (this.inMemory < this.maxMessages) {
      this.pending.push(message);
      return;
    }
    if (this.spillWith(message)) return;
    // Only a buffer smaller than one batch can have nothing but in-flight messages.
    const oldest = this.pending.shift();
    this.drop('buffer full', { topic: oldest?.topic ?? topic });
    if (oldest !== undefined) this.pending.push(message);
  }

  /** Counts messages that were refused or lost, warning at most every few seconds. */
  drop(reason: string, fields: Record<string, unknown>, count = 1): void {
    this.droppedCount += count;
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
    if (this.inFlightFromSpool) this.spool?.acknowledge();
    this.inFlight = [];
    this.inFlightFromSpool = false;
  }

  /**
   * Moves everything held only in memory to the spool (at close, so a restart sends it).
   * Returns how many messages are still held only in memory: all of them without a spool.
   */
  persist(): number {
    if (this.spool === undefined) return this.inMemory;
    const memory = [...(this.inFlightFromSpool ? [] : this.inFlight)];
    for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) memory.push(next);
    if (!this.inFlightFromSpool) this.inFlight = [];
    try {
      this.spool.append(memory.map(toSpooled));
      return 0;
    } catch (error) {
      this.logger.error({ err: error, lost: memory.length }, 'could not write events to the spool');
      return memory.length;
    }
  }

  /**
   * Moves the waiting messages and the newest one to the spool (also when every message in
   * memory is in flight: the newest then goes straight to disk). False without a spool, or when
   * writing failed, with memory as it was.
   */
  private spillWith(newest: BufferedMessage): boolean {
    if (this.spool === undefined) return false;
    const waiting: BufferedMessage[] = [];
    for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) waiting.push(next);
    try {
      this.spool.append([...waiting, newest].map(toSpooled));
      return true;
    } catch (error) {
      this.logger.error({ err: error }, 'could not write events to the spool; dropping the oldest instead');
      for (const message of waiting) this.pending.push(message);
      return false;
    }
  }

  private takeBatch(): BufferedMessage[] {
    if (this.spool !== undefined && this.spool.available > 0) {
      let bytes = 0;
      const spooled = this.spool.take((message, taken) => {
        const size = messageBytes(message.key, message.value, message.headers);
        if (taken >= maxBatchMessages || (taken > 0 && bytes + size > maxBatchBytes)) return false;
        bytes += size;
        return true;
      });
      this.inFlightFromSpool = spooled.length > 0;
      if (spooled.length > 0) return spooled.map(toBuffered);
    }
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
