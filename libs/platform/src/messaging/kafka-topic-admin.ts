import type { TopicSpec } from '@gateway/contracts';
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import type { Logger } from '../observability/logger';
import type { PartitionLag } from './event-bus';
import { EventBusClosedError } from './event-bus-closed.error';
import { FailureReporter } from './failure-reporter';
import { fetchConsumerLag } from './kafka-consumer-lag';
import { Backoff, type BackoffOptions, sleep } from '../retry/backoff';

export function topicConfig(spec: TopicSpec, replicationFactor: number): ITopicConfig {
  const configEntries = spec.compacted
    ? compactedConfig(spec)
    : [
        { name: 'cleanup.policy', value: 'delete' },
        ...(spec.retentionMs === undefined
          ? []
          : [{ name: 'retention.ms', value: String(spec.retentionMs) }]),
      ];
  return { topic: spec.name, numPartitions: spec.partitions, replicationFactor, configEntries };
}

function compactedConfig(spec: TopicSpec): ITopicConfig['configEntries'] {
  if (spec.retentionMs === undefined) return [{ name: 'cleanup.policy', value: 'compact' }];
  return [
    { name: 'cleanup.policy', value: 'compact,delete' },
    { name: 'retention.ms', value: String(spec.retentionMs) },
  ];
}

/** The admin client of the bus: creates topics (retrying while the broker is away) and probes the broker. */
export class KafkaTopicAdmin {
  private readonly admin: Admin;
  private connecting: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(
    kafka: Kafka,
    private readonly logger: Logger,
    private readonly backoff: BackoffOptions,
    private readonly replicationFactor: number,
  ) {
    this.admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } });
  }

  /**
   * Resolves once every topic exists. While the broker is unreachable it keeps retrying in
   * the background (callers need not wait for it); it rejects only when the bus closes first.
   */
  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    const names = topics.map((topic) => topic.name);
    const backoff = new Backoff(this.backoff);
    const reporter = new FailureReporter(this.logger, 'creating topics');
    for (;;) {
      if (this.stopSignal.signal.aborted)
        throw new EventBusClosedError(`Event bus closed before topics ${names.join(', ')} were created`);
      try {
        await this.createMissing(topics);
        reporter.succeeded({ topics: names });
        return;
      } catch (error) {
        const retryInMs = backoff.next();
        reporter.failed(error, retryInMs, { topics: names });
        this.connecting = undefined;
        await sleep(retryInMs, this.stopSignal.signal);
      }
    }
  }

  /** One cheap metadata round trip: proves the broker answers. */
  async probe(): Promise<void> {
    try {
      await this.connect();
      await this.admin.describeCluster();
    } catch (error) {
      this.connecting = undefined;
      throw error;
    }
  }

  /** See EventBus.consumerLag; one attempt, rejected while the broker is unreachable. */
  async consumerLag(groupIds?: readonly string[]): Promise<PartitionLag[]> {
    try {
      await this.connect();
      return await fetchConsumerLag(this.admin, groupIds);
    } catch (error) {
      this.connecting = undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.stopSignal.abort();
    try {
      await this.admin.disconnect();
    } catch (error) {
      this.logger.debug({ err: error }, 'admin disconnect failed');
    }
  }

  private async createMissing(topics: readonly TopicSpec[]): Promise<void> {
    await this.connect();
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return;
    // Only the missing ones: kafkajs skips waiting for leaders when any topic already exists.
    // A concurrent creator (another replica) makes this return false, which is fine.
    await this.admin.createTopics({
      topics: missing.map((topic) => topicConfig(topic, this.replicationFactor)),
      waitForLeaders: true,
    });
    this.logger.info({ topics: missing.map((topic) => topic.name) }, 'created topics');
  }

  private connect(): Promise<void> {
    // Shared, so concurrent ensureTopics calls and probes do not race to connect.
    this.connecting ??= this.admin.connect();
    return this.connecting;
  }
}
