import { isUnprocessable } from './publish-event';
import type { Consumer, EachMessagePayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../observability/logger';
import type { IncomingMessage, MessageHandler, Subscription, SubscriptionOptions } from './event-bus';
import { FailureReporter } from './failure-reporter';
import { Backoff, type BackoffOptions, errorMessage, sleep } from '../retry/backoff';
import { runInConsumerSpan } from './trace-propagation';

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
    private readonly subscription: SubscriptionOptions,
    private readonly handler: MessageHandler,
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
    await consumer.run({ eachMessage: (payload) => this.handle(payload) });
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
   * Calls the handler until it succeeds: returning lets kafkajs commit the offset, so a message
   * is acknowledged only after its handler finished. Between attempts it heartbeats to keep the
   * partition; a heartbeat that fails (rebalance, broker gone) throws out of eachMessage
   * uncommitted, and whoever owns the partition next gets the message again.
   */
  private async handle(payload: EachMessagePayload): Promise<void> {
    const backoff = new Backoff(this.options.handlerBackoff);
    for (;;) {
      const message = this.toIncomingMessage(payload);
      if (message === undefined) return;
      try {
        await runInConsumerSpan('kafka', this.subscription.groupId, message, () => this.handler(message));
        return;
      } catch (error) {
        if (isUnprocessable(error)) {
          this.logger.error(
            {
              partition: payload.partition,
              offset: payload.message.offset,
              key: message.key,
              err: errorMessage(error),
            },
            'message breaks its contract; skipped',
          );
          return;
        }
        if (this.closed) throw error;
        const retryInMs = backoff.next();
        this.logger.warn(
          {
            partition: payload.partition,
            offset: payload.message.offset,
            key: message.key,
            err: errorMessage(error),
            retryInMs,
          },
          'message handler failed; redelivering',
        );
        await sleep(retryInMs, this.stopSignal.signal);
        if (this.closed) throw error;
        await payload.heartbeat();
      }
    }
  }

  /** undefined for a value that is not JSON: no retry can fix it, so it is logged and skipped. */
  private toIncomingMessage(payload: EachMessagePayload): IncomingMessage | undefined {
    const { topic, partition, message } = payload;
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
