import { isUnprocessable } from './publish-event';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../observability/logger';
import type { BatchHandler, BatchSubscriptionOptions, IncomingMessage, Subscription } from './event-bus';
import { FailureReporter } from './failure-reporter';
import { Backoff, type BackoffOptions, errorMessage, sleep } from '../retry/backoff';
import { runInConsumerSpans } from './trace-propagation';

export interface KafkaSubscriptionOptions {
  readonly kafka: Kafka;
  readonly logger: Logger;
  /** Delays between consumer restarts. */
  readonly restartBackoff: BackoffOptions;
  /** Delays between redeliveries of a message whose handler threw. */
  readonly handlerBackoff: BackoffOptions;
  readonly sessionTimeoutMs: number;
}

/**
 * One subscription: a kafkajs consumer plus the supervision kafkajs lacks. Connecting,
 * subscribing and running happen in the background and are retried until they succeed; a
 * consumer that crashes is replaced by a new one after a backoff. kafkajs's own restart is
 * switched off (restartOnFailure → false) so that one loop, with one backoff, owns restarts.
 */
export class KafkaSubscription implements Subscription {
  private consumer: Consumer | undefined;
  private generation = 0;
  private running = false;
  private closed = false;
  private starting: Promise<void> = Promise.resolve();
  private readonly stopSignal = new AbortController();
  private readonly backoff: Backoff;
  private readonly reporter: FailureReporter;
  private readonly logger: Logger;

  constructor(
    private readonly subscription: BatchSubscriptionOptions,
    private readonly handler: BatchHandler,
    private readonly options: KafkaSubscriptionOptions,
  ) {
    this.logger = options.logger.child({ topic: subscription.topic, groupId: subscription.groupId });
    this.backoff = new Backoff(options.restartBackoff);
    this.reporter = new FailureReporter(this.logger, 'starting the consumer');
  }

  /** Starts consuming in the background; returns at once, whether or not the broker is up. */
  start(): void {
    this.starting = this.startWithRetry();
  }

  get isRunning(): boolean {
    return this.running && !this.closed;
  }

  get detail(): string {
    const where = `consumer ${this.subscription.groupId} on ${this.subscription.topic}`;
    if (this.closed) return `${where} closed`;
    if (this.running) return `${where} running`;
    const problem = this.reporter.lastError;
    return `${where} not running${problem ? `: ${problem}` : ' yet'}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.running = false;
    this.stopSignal.abort();
    // Disconnecting first interrupts a start that waits on the broker; the second catches a
    // consumer that finished connecting in between.
    await this.disconnect(this.consumer);
    await this.starting;
    await this.disconnect(this.consumer);
  }

  private async startWithRetry(): Promise<void> {
    while (!this.closed) {
      try {
        await this.startConsumer();
        return;
      } catch (error) {
        this.running = false;
        await this.disconnect(this.consumer);
        await this.pause(error);
      }
    }
  }

  private async startConsumer(): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    const consumer = this.options.kafka.consumer({
      groupId: this.subscription.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs,
      retry: {
        retries: 3,
        initialRetryTime: 100,
        maxRetryTime: 1_000,
        restartOnFailure: () => Promise.resolve(false),
      },
    });
    this.consumer = consumer;
    this.watch(consumer, generation);
    await consumer.connect();
    await consumer.subscribe({
      topic: this.subscription.topic,
      fromBeginning: this.subscription.fromBeginning ?? false,
    });
    await consumer.run({ eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  private watch(consumer: Consumer, generation: number): void {
    const current = (): boolean => generation === this.generation && !this.closed;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (!current()) return;
      this.running = true;
      this.backoff.reset();
      this.reporter.succeeded();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!current()) return;
      this.running = false;
      // With restartOnFailure off kafkajs never restarts; a crash always means a new consumer.
      this.starting = this.restart(event.payload.error);
    });
    const stopped = (): void => {
      if (current()) this.running = false;
    };
    consumer.on(consumer.events.STOP, stopped);
    consumer.on(consumer.events.DISCONNECT, stopped);
  }

  private async restart(error: Error): Promise<void> {
    await this.pause(error);
    await this.disconnect(this.consumer);
    await this.startWithRetry();
  }

  private async pause(error: unknown): Promise<void> {
    const retryInMs = this.backoff.next();
    this.reporter.failed(error, retryInMs);
    await sleep(retryInMs, this.stopSignal.signal);
  }

  private async disconnect(consumer: Consumer | undefined): Promise<void> {
    try {
      await consumer?.disconnect();
    } catch (error) {
      this.logger.debug({ err: error }, 'consumer disconnect failed');
    }
  }

  /**
   * Hands the fetched messages over in chunks of at most maxBatchSize, resolving each chunk's
   * offsets only after its handler succeeded, so kafkajs commits nothing unhandled. A chunk is
   * retried until it succeeds, heartbeating between attempts to keep the partition; a heartbeat
   * that fails (rebalance, broker gone) throws out of eachBatch uncommitted, and whoever owns the
   * partition next gets the messages again.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const size = Math.max(1, this.subscription.maxBatchSize);
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + size);
      await this.handle(batch.topic, batch.partition, chunk, payload.heartbeat);
      payload.resolveOffset(chunk.at(-1)!.offset);
      await payload.heartbeat();
    }
  }

  private async handle(
    topic: string,
    partition: number,
    kafkaMessages: readonly KafkaMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const messages = kafkaMessages
      .map((message) => this.toIncomingMessage(topic, partition, message))
      .filter((message) => message !== undefined);
    if (messages.length === 0) return;
    const backoff = new Backoff(this.options.handlerBackoff);
    const first = messages[0]!;
    for (;;) {
      try {
        await runInConsumerSpans('kafka', this.subscription.groupId, messages, () => this.handler(messages));
        return;
      } catch (error) {
        if (isUnprocessable(error) && kafkaMessages.length > 1) {
          // One of them breaks its contract: one by one, the others are handled and it is skipped.
          for (const single of kafkaMessages) await this.handle(topic, partition, [single], heartbeat);
          return;
        }
        if (isUnprocessable(error)) {
          this.logger.error(
            { partition, offset: first.offset, key: first.key, err: errorMessage(error) },
            'message breaks its contract; skipped',
          );
          return;
        }
        if (this.closed) throw error;
        const retryInMs = backoff.next();
        this.logger.warn(
          {
            partition,
            offset: first.offset,
            messages: messages.length,
            key: first.key,
            err: errorMessage(error),
            retryInMs,
          },
          'message handler failed; redelivering',
        );
        await sleep(retryInMs, this.stopSignal.signal);
        if (this.closed) throw error;
        await heartbeat();
      }
    }
  }

  /** undefined for a value that is not JSON: no retry can fix it, so it is logged and skipped. */
  private toIncomingMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): IncomingMessage | undefined {
    try {
      return {
        topic,
        key: message.key?.toString('utf8') ?? '',
        value: parseMessageValue(message),
        headers: headersAsStrings(message.headers),
        partition,
        offset: message.offset,
      };
    } catch (error) {
      this.logger.error(
        { partition, offset: message.offset, err: errorMessage(error) },
        'skipping a message that is not JSON',
      );
      return undefined;
    }
  }
}

function parseMessageValue(message: KafkaMessage): unknown {
  return message.value === null ? null : (JSON.parse(message.value.toString('utf8')) as unknown);
}

function headersAsStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Kafka allows a header to repeat; our producers never do, so the first value is enough.
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}
