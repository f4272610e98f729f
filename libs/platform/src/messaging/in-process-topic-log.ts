import type { TopicSpec } from '@gateway/contracts';

export interface StoredRecord {
  readonly offset: number;
  readonly key: string;
  /** Serialized JSON; null for a tombstone. */
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A small, stable string hash (FNV-1a): the same key always lands in the same partition. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * One partition of an in-memory topic. Offsets grow without gaps as records are appended;
 * reading skips what retention or compaction removed, as a Kafka consumer would.
 */
export class PartitionLog {
  private records: StoredRecord[] = [];
  private nextOffset = 0;
  /** Compacted topics: the offset of the latest record (tombstones included) of each key. */
  private readonly latestByKey = new Map<string, number>();

  constructor(
    private readonly compacted: boolean,
    private readonly retainedRecords: number,
  ) {}

  get endOffset(): number {
    return this.nextOffset;
  }

  get retained(): number {
    return this.records.length;
  }

  append(key: string, value: string | null, headers: Readonly<Record<string, string>>): StoredRecord {
    const record: StoredRecord = { offset: this.nextOffset, key, value, headers };
    this.nextOffset += 1;
    this.records.push(record);
    if (this.compacted) this.latestByKey.set(key, record.offset);
    else this.trimTail();
    return record;
  }

  /** The first record still worth delivering at or after `offset`. */
  recordAtOrAfter(offset: number): StoredRecord | undefined {
    for (let index = this.firstIndexAtOrAfter(offset); index < this.records.length; index += 1) {
      const record = this.records[index];
      if (record && this.isLive(record)) return record;
    }
    return undefined;
  }

  /**
   * Drops superseded records, and tombstones that every existing group has already read
   * (`lowWatermark`): a group created afterwards must see current state, not deleted keys.
   */
  compact(lowWatermark: number): void {
    if (!this.compacted) return;
    this.records = this.records.filter((record) => {
      if (!this.isLive(record)) return false;
      if (record.value === null && record.offset < lowWatermark) {
        this.latestByKey.delete(record.key);
        return false;
      }
      return true;
    });
  }

  /** Compaction is lazy: it runs once superseded records outnumber the live ones. */
  needsCompaction(): boolean {
    return this.compacted && this.records.length >= 2 * this.latestByKey.size + 64;
  }

  private isLive(record: StoredRecord): boolean {
    return !this.compacted || this.latestByKey.get(record.key) === record.offset;
  }

  // Trims in chunks so appending stays cheap; the tail holds at most 25 % more than asked.
  private trimTail(): void {
    const excess = this.records.length - this.retainedRecords;
    if (excess > Math.max(1, this.retainedRecords / 4)) this.records.splice(0, excess);
  }

  private firstIndexAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const record = this.records[middle];
      if (record !== undefined && record.offset < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** An in-memory topic: its spec and one log per partition. */
export class TopicLog {
  readonly partitions: readonly PartitionLog[];

  constructor(
    readonly spec: TopicSpec,
    retainedRecords: number,
  ) {
    this.partitions = Array.from(
      { length: Math.max(1, spec.partitions) },
      () => new PartitionLog(spec.compacted, retainedRecords),
    );
  }

  partitionFor(key: string): number {
    return hashKey(key) % this.partitions.length;
  }

  isEmpty(): boolean {
    return this.partitions.every((partition) => partition.endOffset === 0);
  }
}
