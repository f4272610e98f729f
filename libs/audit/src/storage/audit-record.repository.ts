import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import type { EntityManager } from 'typeorm';
import {
  type AuditEntry,
  type AuditRecord,
  type ChainHead,
  emptyHead,
  GENESIS_HASH,
} from '../chain/audit-record';
import { appendToChain } from '../chain/chain-appender';
import { AuditPartitionRepository } from './audit-partition.repository';
import { AUDIT_CLOCK, AUDIT_DATABASE, type Clock } from './audit-storage.tokens';
import { AuditTables, type DailyPartition, partitionFor } from './audit-tables';
import { recordColumnList, recordColumnTypes, rowFromRecord } from './record-row';
import { isMissingPartition, isRetryableConflict } from './sql-error';

export interface AppendResult {
  readonly recorded: readonly AuditRecord[];
  /** Event ids that were already recorded (a redelivery) and were skipped. */
  readonly duplicates: readonly string[];
}

/** Thrown inside the append transaction to roll it back while the partition it needs is created. */
class PartitionNeeded extends Error {
  constructor(readonly partition: DailyPartition) {
    super(`partition ${partition.name} does not exist yet`);
  }
}

const MAX_ATTEMPTS = 5;

/** Appends entries to their hash chains, each event once. */
@Injectable()
export class AuditRecordRepository {
  constructor(
    @Inject(AUDIT_DATABASE) private readonly database: Database,
    private readonly tables: AuditTables,
    private readonly partitions: AuditPartitionRepository,
    @Inject(AUDIT_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Appends a batch in one transaction. The heads of the chains it touches are locked first
   * (SELECT ... FOR UPDATE, in chain order so two batches never deadlock), so replicas appending
   * to one chain take turns and never hand out a seq twice; event ids already recorded are
   * skipped, which makes a redelivered event a no-op.
   */
  async recordMany(entries: readonly AuditEntry[]): Promise<AppendResult> {
    const seen = new Set<string>();
    const unique = entries.filter((entry) => !seen.has(entry.eventId) && seen.add(entry.eventId));
    if (unique.length === 0) return { recorded: [], duplicates: [] };
    for (let attempt = 1; ; attempt += 1) {
      const now = this.clock();
      await this.partitions.ensure(partitionFor(now));
      try {
        return await this.database.dataSource().transaction((manager) => this.append(manager, unique, now));
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) throw error;
        if (error instanceof PartitionNeeded) {
          await this.partitions.ensure(error.partition);
        } else if (isMissingPartition(error)) {
          this.partitions.forget(partitionFor(now));
        } else if (!isRetryableConflict(error)) {
          throw error;
        }
      }
    }
  }

  private async append(
    manager: EntityManager,
    entries: readonly AuditEntry[],
    now: Date,
  ): Promise<AppendResult> {
    const chains = [...new Set(entries.map((entry) => entry.chain))].sort();
    const heads = await this.lockHeads(manager, chains);
    // A head recorded later than `now` (another replica's clock runs ahead) moves the time forward.
    const recordedAt = new Date(Math.max(now.getTime(), ...[...heads.values()].map(recordedTime)));
    const partition = partitionFor(recordedAt);
    if (!this.partitions.isKnown(partition)) throw new PartitionNeeded(partition);
    const fresh = await this.claimEventIds(manager, entries, recordedAt);
    const appended = chains.map((chain) =>
      appendToChain(
        heads.get(chain) ?? emptyHead(chain),
        entries.filter((entry) => entry.chain === chain && fresh.has(entry.eventId)),
        recordedAt,
      ),
    );
    const records = appended.flatMap((append) => append.records);
    if (records.length > 0) {
      await this.insertRecords(manager, records);
      await this.updateHeads(
        manager,
        appended.filter((append) => append.records.length > 0).map((append) => append.head),
      );
    }
    const byEventId = new Map(records.map((record) => [record.eventId, record]));
    return {
      recorded: entries.flatMap((entry) => byEventId.get(entry.eventId) ?? []),
      duplicates: entries.filter((entry) => !fresh.has(entry.eventId)).map((entry) => entry.eventId),
    };
  }

  /** Creates missing heads, then locks every head of the batch until the transaction ends. */
  private async lockHeads(
    manager: EntityManager,
    chains: readonly string[],
  ): Promise<Map<string, ChainHead>> {
    await manager.query(
      `INSERT INTO ${this.tables.chainHeads} ("chain", "seq", "hash")
       SELECT "chain", 0, $2 FROM unnest($1::text[]) AS "chain"
       ON CONFLICT ("chain") DO NOTHING`,
      [chains, GENESIS_HASH],
    );
    const rows: Array<{ chain: string; seq: string; hash: string; recorded_at: Date | null }> =
      await manager.query(
        `SELECT "chain", "seq", "hash", "recorded_at" FROM ${this.tables.chainHeads}
         WHERE "chain" = ANY($1::text[]) ORDER BY "chain" FOR UPDATE`,
        [chains],
      );
    return new Map(
      rows.map((row) => [
        row.chain,
        { chain: row.chain, seq: Number(row.seq), hash: row.hash, recordedAt: row.recorded_at },
      ]),
    );
  }

  /** Inserts the event ids (sorted, against deadlocks); returns the ones that were new. */
  private async claimEventIds(
    manager: EntityManager,
    entries: readonly AuditEntry[],
    recordedAt: Date,
  ): Promise<Set<string>> {
    const ids = entries.map((entry) => entry.eventId).sort();
    const rows: Array<{ event_id: string }> = await manager.query(
      `INSERT INTO ${this.tables.eventIds} ("event_id", "recorded_at")
       SELECT "event_id", $2 FROM unnest($1::uuid[]) AS "event_id"
       ON CONFLICT ("event_id") DO NOTHING
       RETURNING "event_id"`,
      [ids, recordedAt],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  private async insertRecords(manager: EntityManager, records: readonly AuditRecord[]): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.tables.records} (${recordColumnList})
       SELECT ${recordColumnList} FROM jsonb_to_recordset($1::jsonb) AS row(${recordColumnTypes})`,
      [JSON.stringify(records.map(rowFromRecord))],
    );
  }

  private async updateHeads(manager: EntityManager, heads: readonly ChainHead[]): Promise<void> {
    await manager.query(
      `UPDATE ${this.tables.chainHeads} AS head
       SET "seq" = moved."seq", "hash" = moved."hash", "recorded_at" = moved."recorded_at"
       FROM jsonb_to_recordset($1::jsonb) AS moved("chain" text, "seq" bigint, "hash" text, "recorded_at" timestamptz)
       WHERE head."chain" = moved."chain"`,
      [
        JSON.stringify(
          heads.map((head) => ({
            chain: head.chain,
            seq: head.seq,
            hash: head.hash,
            recorded_at: head.recordedAt,
          })),
        ),
      ],
    );
  }
}

function recordedTime(head: ChainHead): number {
  return head.recordedAt?.getTime() ?? 0;
}
