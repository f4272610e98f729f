import type { Admin } from 'kafkajs';
import type { PartitionLag } from './event-bus';

/** What Kafka answers for a partition on which a group has committed no offset. */
const nothingCommitted = -1;

/**
 * Consumer lag the way kafka-consumer-groups.sh computes it: per partition, the log end offset
 * (high watermark) minus the group's committed offset. Without group ids, every group the
 * cluster lists. Topics a group once committed on but that no longer exist are left out.
 */
export async function fetchConsumerLag(admin: Admin, groupIds?: readonly string[]): Promise<PartitionLag[]> {
  const groups = groupIds ?? (await listGroupIds(admin));
  const endOffsets = new EndOffsets(admin);
  const lags = await Promise.all(groups.map((groupId) => groupLag(admin, endOffsets, groupId)));
  return lags.flat();
}

async function listGroupIds(admin: Admin): Promise<string[]> {
  const { groups } = await admin.listGroups();
  return groups.map((group) => group.groupId);
}

async function groupLag(admin: Admin, endOffsets: EndOffsets, groupId: string): Promise<PartitionLag[]> {
  // Without topics kafkajs asks for every topic the group has committed offsets on.
  const committed = await admin.fetchOffsets({ groupId });
  const perTopic = await Promise.all(
    committed.map(async ({ topic, partitions }) => {
      const ends = await endOffsets.of(topic);
      if (!ends) return [];
      return partitions.map(({ partition, offset }) =>
        partitionLag(groupId, topic, partition, Number(offset), ends.get(partition) ?? 0),
      );
    }),
  );
  return perTopic.flat();
}

function partitionLag(
  groupId: string,
  topic: string,
  partition: number,
  committed: number,
  logEndOffset: number,
): PartitionLag {
  const committedOffset = committed === nothingCommitted ? undefined : committed;
  return {
    groupId,
    topic,
    partition,
    committedOffset,
    logEndOffset,
    lag: committedOffset === undefined ? undefined : Math.max(0, logEndOffset - committedOffset),
  };
}

/** End offsets per topic, fetched once per call however many groups read the topic. */
class EndOffsets {
  private existing: Promise<Set<string>> | undefined;
  private readonly byTopic = new Map<string, Promise<Map<number, number> | undefined>>();

  constructor(private readonly admin: Admin) {}

  of(topic: string): Promise<Map<number, number> | undefined> {
    let ends = this.byTopic.get(topic);
    if (!ends) {
      ends = this.fetch(topic);
      this.byTopic.set(topic, ends);
    }
    return ends;
  }

  private async fetch(topic: string): Promise<Map<number, number> | undefined> {
    // Asking kafkajs for the offsets of a deleted topic would make its client track the topic,
    // and every later metadata refresh of the admin client would fail on it.
    this.existing ??= this.admin.listTopics().then((names) => new Set(names));
    if (!(await this.existing).has(topic)) return undefined;
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
  }
}
