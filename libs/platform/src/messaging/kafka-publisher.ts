import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from '../observability/logger';
import { FailureReporter } from './failure-reporter';
import { FifoQueue } from './fifo-queue';
import { Backoff, type BackoffOptions, sleep } from './retry-backoff';

interface BufferedMessage {
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
}

export interface KafkaPublisherOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly maxBufferedMessages: number;
  readonly backoff: BackoffOptions;
  /** Checks the broker while nothing is being sent, so health notices an idle outage. */
  readonly probeBroker: () => Promise<void>;
  readonly probeIntervalMs: number;
}

export interface PublisherStatus {
  readonly ready: boolean;
  readonly detail: string;
  readonly buffered: number;
  readonly dropped: number;
}

const maxBatchMessages = 500;
const lingerMs = 5;
// Kafka's default max.message.bytes (~1 MiB) limits one partition's record batch, and a whole
// batch may land on one partition; these caps keep a batch below it with room for overhead.
const maxBatchBytes = 900_000;
const maxMessageBytes = 900_000;
const dropWarningIntervalMs = 5_000;
const closeLoopTimeoutMs = 5_000;

// Errors after which the producer id and its sequence numbers cannot be trusted any more: a new
// producer (new id) is the only way forward. Anything else is retried with the same producer,
// whose id lets the broker drop the duplicates of a send whose acknowledgement was lost.
const producerStateErrors = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'DUPLICATE_SEQUENCE_NUMBER',
  'PRODUCER_FENCED',
]);

function errorTypes(error: unknown): string[] {
  const types: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current instanceof Error; depth += 1) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') types.push(type);
    current = current.cause;
  }
  return types;
}

function messageBytes(key: string, value: string | null, headers: Readonly<Record<string, string>>): number {
  let bytes = Buffer.byteLength(key) + (value === null ? 0 : Buffer.byteLength(value));
  for (const [name, headerValue] of Object.entries(headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(headerValue);
  return bytes;
}

/**
 * The Kafka side of publish(): a bounded buffer and one background loop that sends it in
 * batches through an idempotent producer. A batch leaves the buffer only once the broker has
 * acknowledged it; until then the loop resends exactly that batch (same producer id and
 * sequence numbers, so the broker discards duplicates) with capped exponential backoff.
 */
export class KafkaPublisher {
  private readonly pending = new FifoQueue<BufferedMessage>();
  private inFlight: readonly BufferedMessage[] = [];
  private producer: Producer | undefined;
  private producerConnected = false;
  private lastInteractionOk = false;
  private lastInteractionAt = 0;
  private dropped = 0;
  private lastDropWarningAt = 0;
  private closing = false;
  private readonly stopSignal = new AbortController();
  private wakeLoop: AbortController = new AbortController();
  private readonly flushWaiters = new Set<() => void>();
  private readonly backoff: Backoff;
  private readonly reporter: FailureReporter;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: KafkaPublisherOptions) {
    this.backoff = new Backoff(options.backoff);
    this.reporter = new FailureReporter(options.logger, 'sending events to Kafka');
  }

  start(): void {
    this.loop ??= this.run();
  }

  get buffered(): number {
    return this.pending.length + this.inFlight.length;
  }

  enqueue(topic: string, key: string, value: string | null, headers: Readonly<Record<string, string>>): void {
    const bytes = messageBytes(key, value, headers);
    if (this.closing || bytes > maxMessageBytes) {
      this.drop(this.closing ? 'publisher closed' : 'message too large', { topic, key, bytes });
      return;
    }
    if (this.buffered >= this.options.maxBufferedMessages) {
      // The oldest message not already in flight goes: an in-flight batch must be resent
      // unchanged. Only a buffer smaller than one batch has nothing else to drop.
      if (this.pending.length === 0) {
        this.drop('buffer full', { topic, key });
        return;
      }
      const oldest = this.pending.shift();
      this.drop('buffer full', { topic: oldest?.topic });
    }
    this.pending.push({ topic, message: { key, value, headers: { ...headers } }, bytes });
    this.wake();
  }

  /** Resolves once everything buffered was acknowledged or the timeout passed; returns what is left. */
  async flush(timeoutMs: number): Promise<number> {
    if (this.buffered === 0 || this.closing) return this.buffered;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.flushWaiters.delete(check);
        resolve();
      };
      const check = (): void => {
        if (this.buffered === 0 || this.closing) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.flushWaiters.add(check);
    });
    return this.buffered;
  }

  status(): PublisherStatus {
    return { ready: this.isReady(), detail: this.describe(), buffered: this.buffered, dropped: this.dropped };
  }

  async close(flushTimeoutMs: number): Promise<void> {
    if (this.closing) return;
    await this.flush(flushTimeoutMs);
    this.closing = true;
    this.stopSignal.abort();
    this.wake();
    for (const waiter of [...this.flushWaiters]) waiter();
    // Disconnecting first breaks a send or connect that is waiting on the broker.
    await this.disconnectProducer();
    await this.waitForLoop();
    await this.disconnectProducer();
    if (this.buffered > 0) {
      this.options.logger.warn(
        { lost: this.buffered },
        'closing the event bus with unsent events; they are lost',
      );
    }
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      try {
        await this.step();
      } catch (error) {
        await this.recover(error);
      }
    }
  }

  private async step(): Promise<void> {
    const producer = await this.connectedProducer();
    if (this.inFlight.length === 0) {
      if (this.pending.length === 0) {
        await this.idle();
        return;
      }
      // A few milliseconds of linger turn a burst of publishes into one request.
      if (this.pending.length < maxBatchMessages) await sleep(lingerMs, this.stopSignal.signal);
      this.inFlight = this.takeBatch();
    }
    await producer.sendBatch({ topicMessages: groupByTopic(this.inFlight), acks: -1 });
    this.inFlight = [];
    this.markSucceeded();
    this.notifyFlushWaiters();
  }

  private async connectedProducer(): Promise<Producer> {
    this.producer ??= this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Short on purpose: this loop owns retrying, so kafkajs only smooths over blips.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    if (!this.producerConnected) {
      await this.producer.connect();
      this.producerConnected = true;
    }
    return this.producer;
  }

  /** Sleeps until something is published, probing the broker now and then for health's sake. */
  private async idle(): Promise<void> {
    const sinceLastInteraction = Date.now() - this.lastInteractionAt;
    if (sinceLastInteraction >= this.options.probeIntervalMs) {
      await this.options.probeBroker();
      this.markSucceeded();
      return;
    }
    this.wakeLoop = new AbortController();
    await sleep(
      this.options.probeIntervalMs - sinceLastInteraction,
      AbortSignal.any([this.wakeLoop.signal, this.stopSignal.signal]),
    );
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

  private async recover(error: unknown): Promise<void> {
    this.lastInteractionOk = false;
    this.lastInteractionAt = Date.now();
    if (this.closing) return;
    if (errorTypes(error).some((type) => producerStateErrors.has(type))) await this.replaceProducer();
    const retryInMs = this.backoff.next();
    this.reporter.failed(error, retryInMs, { buffered: this.buffered, inFlight: this.inFlight.length });
    await sleep(retryInMs, this.stopSignal.signal);
  }

  private async replaceProducer(): Promise<void> {
    this.options.logger.warn('producer id no longer valid; starting a new producer');
    await this.disconnectProducer();
    this.producer = undefined;
  }

  private markSucceeded(): void {
    this.lastInteractionOk = true;
    this.lastInteractionAt = Date.now();
    this.backoff.reset();
    this.reporter.succeeded({ buffered: this.buffered });
  }

  private drop(reason: string, fields: Record<string, unknown>): void {
    this.dropped += 1;
    const now = Date.now();
    if (now - this.lastDropWarningAt < dropWarningIntervalMs) return;
    this.lastDropWarningAt = now;
    this.options.logger.warn(
      { ...fields, reason, droppedSoFar: this.dropped, buffered: this.buffered },
      'event dropped',
    );
  }

  private wake(): void {
    this.wakeLoop.abort();
  }

  private notifyFlushWaiters(): void {
    for (const waiter of [...this.flushWaiters]) waiter();
  }

  private async disconnectProducer(): Promise<void> {
    this.producerConnected = false;
    try {
      await this.producer?.disconnect();
    } catch (error) {
      this.options.logger.debug({ err: error }, 'producer disconnect failed');
    }
  }

  private async waitForLoop(): Promise<void> {
    const timeout = new AbortController();
    await Promise.race([this.loop, sleep(closeLoopTimeoutMs, timeout.signal)]);
    timeout.abort();
  }

  private isReady(): boolean {
    return !this.closing && this.producerConnected && this.lastInteractionOk;
  }

  private describe(): string {
    if (this.closing) return 'closed';
    const problem = this.reporter.lastError;
    if (!this.producerConnected) return `producer not connected${problem ? `: ${problem}` : ' yet'}`;
    if (!this.lastInteractionOk) return `broker unreachable${problem ? `: ${problem}` : ''}`;
    return 'producer connected';
  }
}

function groupByTopic(messages: readonly BufferedMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of messages) {
    const list = byTopic.get(topic) ?? [];
    list.push(message);
    byTopic.set(topic, list);
  }
  return [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages }));
}
