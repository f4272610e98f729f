import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from '../observability/logger';
import { DiskSpool } from './disk-spool';
import { FailureReporter } from './failure-reporter';
import { KafkaPublishBuffer, maxBatchMessages } from './kafka-publish-buffer';
import { Backoff, type BackoffOptions, sleep } from '../retry/backoff';

export interface KafkaPublisherOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly maxBufferedMessages: number;
  readonly backoff: BackoffOptions;
  /** Checks the broker while nothing is being sent, so health notices an idle outage. */
  readonly probeBroker: () => Promise<void>;
  readonly probeIntervalMs: number;
  /** Where messages go when the memory buffer is full, and at close if the broker is away. */
  readonly spool?: {
    /** A directory this process alone owns (claimSpoolDirectory). */
    readonly directory: string;
    readonly maxBytes: number;
    readonly release: () => void;
  };
}

export interface PublisherStatus {
  readonly ready: boolean;
  readonly detail: string;
  readonly buffered: number;
  readonly spooled: number;
  readonly dropped: number;
}

const lingerMs = 5;
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

/** The kafkajs error types along an error's cause chain (kafkajs wraps the broker's error). */
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

/**
 * The Kafka side of publish(): one background loop that sends the buffer in batches through
 * an idempotent producer (one request at a time, so per-key order holds). A failed send is
 * retried with capped exponential backoff, reconnecting as needed, until it is acknowledged.
 */
export class KafkaPublisher {
  private readonly buffer: KafkaPublishBuffer;
  private producer: Producer | undefined;
  private producerConnected = false;
  private lastInteractionOk = false;
  private lastInteractionAt = 0;
  private closing = false;
  private readonly stopSignal = new AbortController();
  private wakeLoop = new AbortController();
  private readonly flushWaiters = new Set<() => void>();
  private readonly backoff: Backoff;
  private readonly reporter: FailureReporter;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: KafkaPublisherOptions) {
    const spool =
      options.spool &&
      new DiskSpool({
        directory: options.spool.directory,
        maxBytes: options.spool.maxBytes,
        logger: options.logger,
        onDrop: (count, reason) => this.buffer.countSpoolDrop(count, reason),
      });
    this.buffer = new KafkaPublishBuffer(options.maxBufferedMessages, options.logger, spool);
    this.backoff = new Backoff(options.backoff);
    this.reporter = new FailureReporter(options.logger, 'sending events to Kafka');
  }

  start(): void {
    this.loop ??= this.run();
  }

  get buffered(): number {
    return this.buffer.size;
  }

  enqueue(topic: string, key: string, value: string | null, headers: Readonly<Record<string, string>>): void {
    if (this.closing) {
      this.buffer.drop('event bus closed', { topic, key });
      return;
    }
    this.buffer.add(topic, key, value, headers);
    this.wakeLoop.abort();
  }

  /** Resolves once everything buffered was acknowledged or the timeout passed; returns what is left. */
  async flush(timeoutMs: number): Promise<number> {
    if (this.buffer.size === 0 || this.closing) return this.buffer.size;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.flushWaiters.delete(check);
        resolve();
      };
      const check = (): void => {
        if (this.buffer.size === 0 || this.closing) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.flushWaiters.add(check);
    });
    return this.buffer.size;
  }

  status(): PublisherStatus {
    return {
      ready: !this.closing && this.producerConnected && this.lastInteractionOk,
      detail: this.describe(),
      buffered: this.buffer.size,
      spooled: this.buffer.spooled,
      dropped: this.buffer.dropped,
    };
  }

  async close(flushTimeoutMs: number): Promise<void> {
    if (this.closing) return;
    await this.flush(flushTimeoutMs);
    this.closing = true;
    this.stopSignal.abort();
    this.notifyFlushWaiters();
    // Disconnecting first breaks a send or connect that waits on the broker; the second
    // disconnect catches a connect that completed in between.
    await this.disconnectProducer();
    await this.waitForLoop();
    await this.disconnectProducer();
    const lost = this.buffer.persist();
    if (lost > 0) {
      this.options.logger.warn({ lost }, 'event bus closed with unsent events; they are lost');
    } else if (this.buffer.spooled > 0) {
      this.options.logger.warn(
        { spooled: this.buffer.spooled },
        'event bus closed with unsent events; they wait in the spool for the next start',
      );
    }
    this.options.spool?.release();
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
    if (!this.buffer.hasBatchInFlight) {
      if (this.buffer.waiting === 0) {
        await this.idle();
        return;
      }
      // A few milliseconds of linger turn a burst of publishes into one request.
      if (this.buffer.waiting < maxBatchMessages) await sleep(lingerMs, this.stopSignal.signal);
    }
    await producer.sendBatch({ topicMessages: this.buffer.batch(), acks: -1 });
    this.buffer.acknowledge();
    this.markSucceeded();
    this.notifyFlushWaiters();
  }

  private async connectedProducer(): Promise<Producer> {
    this.producer ??= this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Named explicitly to silence kafkajs's v2 migration warning; it is the Java client's
      // murmur2 partitioner, so other clients place the same key in the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Short on purpose: this loop owns retrying, so kafkajs only smooths over blips.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    if (!this.producerConnected) {
      await this.producer.connect();
      this.producerConnected = true;
      this.lastInteractionOk = true;
      this.lastInteractionAt = Date.now();
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
    const wakeOrStop = AbortSignal.any([this.wakeLoop.signal, this.stopSignal.signal]);
    await sleep(this.options.probeIntervalMs - sinceLastInteraction, wakeOrStop);
  }

  private async recover(error: unknown): Promise<void> {
    this.lastInteractionOk = false;
    this.lastInteractionAt = Date.now();
    if (this.closing) return;
    if (errorTypes(error).some((type) => producerStateErrors.has(type))) {
      this.options.logger.warn('producer id no longer valid; starting a new producer');
      await this.disconnectProducer();
      this.producer = undefined;
    }
    const retryInMs = this.backoff.next();
    this.reporter.failed(error, retryInMs, { buffered: this.buffer.size });
    await sleep(retryInMs, this.stopSignal.signal);
  }

  private markSucceeded(): void {
    this.lastInteractionOk = true;
    this.lastInteractionAt = Date.now();
    this.backoff.reset();
    this.reporter.succeeded({ buffered: this.buffer.size });
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

  private describe(): string {
    if (this.closing) return 'closed';
    const problem = this.reporter.lastError;
    if (!this.producerConnected) return `producer not connected${problem ? `: ${problem}` : ' yet'}`;
    if (!this.lastInteractionOk) return `broker unreachable${problem ? `: ${problem}` : ''}`;
    return 'producer connected';
  }
}
