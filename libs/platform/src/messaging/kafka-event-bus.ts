import type { TopicSpec } from '@gateway/contracts';
import { Kafka } from 'kafkajs';
import { createLogger, type Logger } from '../observability/logger';
import type {
  BatchHandler,
  BatchSubscriptionOptions,
  BusHealth,
  EventBus,
  MessageHandler,
  OutgoingMessage,
  PartitionLag,
  Subscription,
  SubscriptionOptions,
} from './event-bus';
import { claimSpoolDirectory } from './spool-directory-claim';
import { EventBusClosedError } from './event-bus-closed.error';
import { kafkaLogCreator, kafkaLogLevelFor } from './kafka-log-bridge';
import { KafkaPublisher } from './kafka-publisher';
import { KafkaSubscription } from './kafka-subscription';
import { KafkaTopicAdmin } from './kafka-topic-admin';
import { serializeValue } from './message-codec';
import { type BackoffOptions, defaultBackoff } from '../retry/backoff';
import { injectTraceContext } from './trace-propagation';

export interface KafkaEventBusOptions {
  readonly brokers: string[];
  readonly clientId: string;
  /** Messages held in memory while the broker is unreachable; beyond it they go to the spool. */
  readonly maxBufferedMessages?: number;
  /**
   * The disk spool behind the memory buffer: under `root`, in a directory named after the
   * process that no other live process holds. Without it, a full buffer drops its oldest.
   */
  readonly spool?: { readonly root: string; readonly name: string; readonly maxBytes: number };
  readonly logger?: Logger;
  /** Replication factor of the topics ensureTopics creates (1 suits a single local broker). */
  readonly replicationFactor?: number;
  /** Delays between reconnects, consumer restarts and redeliveries (default 100 ms → 5 s). */
  readonly retryBackoff?: BackoffOptions;
  /** How often an idle bus checks the broker, so health notices an outage without traffic. */
  readonly healthProbeIntervalMs?: number;
  /**
   * Consumer session timeout. A consumer replaced after a broker outage joins as a new member,
   * and the group waits for its dead predecessor's session to expire before assigning
   * partitions; kafkajs's 30 s default made every recovery take half a minute.
   */
  readonly consumerSessionTimeoutMs?: number;
  /** How long close() waits for buffered messages to be sent. */
  readonly closeFlushTimeoutMs?: number;
}

/**
 * The EventBus over Kafka (kafkajs). publish() only buffers; a background loop sends (see
 * KafkaPublisher). Subscriptions, topic creation and the producer all reconnect on their own,
 * so the bus can be built and used while the broker is down and survives broker restarts.
 */
export class KafkaEventBus implements EventBus {
  private readonly logger: Logger;
  private readonly kafka: Kafka;
  private readonly publisher: KafkaPublisher;
  private readonly topicAdmin: KafkaTopicAdmin;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly retryBackoff: BackoffOptions;
  private readonly closeFlushTimeoutMs: number;
  private readonly consumerSessionTimeoutMs: number;
  private closing: Promise<void> | undefined;

  constructor(options: KafkaEventBusOptions) {
    this.logger = options.logger ?? createLogger('kafka-bus');
    this.retryBackoff = options.retryBackoff ?? defaultBackoff;
    this.closeFlushTimeoutMs = options.closeFlushTimeoutMs ?? 2_000;
    this.consumerSessionTimeoutMs = options.consumerSessionTimeoutMs ?? 10_000;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: kafkaLogLevelFor(this.logger),
      logCreator: kafkaLogCreator(this.logger),
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      // Short: every client of the bus runs its own retry loop around kafkajs's.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    this.topicAdmin = new KafkaTopicAdmin(
      this.kafka,
      this.logger,
      this.retryBackoff,
      options.replicationFactor ?? 1,
    );
    this.publisher = new KafkaPublisher({
      kafka: this.kafka,
      logger: this.logger,
      maxBufferedMessages: options.maxBufferedMessages ?? 10_000,
      backoff: this.retryBackoff,
      probeBroker: () => this.topicAdmin.probe(),
      probeIntervalMs: options.healthProbeIntervalMs ?? 5_000,
      spool: options.spool && {
        ...claimSpoolDirectory(options.spool.root, options.spool.name),
        maxBytes: options.spool.maxBytes,
      },
    });
    this.publisher.start();
  }

  publish(message: OutgoingMessage): void {
    const value = serializeValue(message.topic, message.value);
    this.publisher.enqueue(message.topic, message.key, value, injectTraceContext(message.headers));
  }

  subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription> {
    return this.subscribeBatches({ ...options, maxBatchSize: 1 }, ([message]) => handler(message!));
  }

  subscribeBatches(options: BatchSubscriptionOptions, handler: BatchHandler): Promise<Subscription> {
    if (this.closing) return Promise.reject(new EventBusClosedError('The event bus is closed'));
    const subscription = new KafkaSubscription(options, handler, {
      kafka: this.kafka,
      logger: this.logger,
      restartBackoff: this.retryBackoff,
      handlerBackoff: this.retryBackoff,
      sessionTimeoutMs: this.consumerSessionTimeoutMs,
    });
    this.subscriptions.add(subscription);
    subscription.start();
    return Promise.resolve({
      close: async () => {
        this.subscriptions.delete(subscription);
        await subscription.close();
      },
    });
  }

  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    return this.topicAdmin.ensureTopics(topics);
  }

  health(): BusHealth {
    const publisher = this.publisher.status();
    const stalled = [...this.subscriptions].filter((subscription) => !subscription.isRunning);
    const problems = [publisher.detail, ...stalled.map((subscription) => subscription.detail)];
    return {
      ready: this.closing === undefined && publisher.ready && stalled.length === 0,
      detail: `${problems.join('; ')}; ${this.subscriptions.size} subscriptions, ${publisher.buffered} buffered (${publisher.spooled} spooled)`,
      buffered: publisher.buffered,
      spooled: publisher.spooled,
      dropped: publisher.dropped,
    };
  }

  flush(timeoutMs: number): Promise<number> {
    return this.publisher.flush(timeoutMs);
  }

  consumerLag(groupIds?: readonly string[]): Promise<PartitionLag[]> {
    if (this.closing) return Promise.reject(new EventBusClosedError('The event bus is closed'));
    return this.topicAdmin.consumerLag(groupIds);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.publisher.close(this.closeFlushTimeoutMs);
    const subscriptions = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await this.topicAdmin.close();
  }
}
