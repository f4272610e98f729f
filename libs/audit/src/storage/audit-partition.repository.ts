import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import type { EntityManager } from 'typeorm';
import { AUDIT_DATABASE } from './audit-storage.tokens';
import { AuditTables, type DailyPartition, partitionNamed } from './audit-tables';
import { isAlreadyCreated } from './sql-error';

/** What dropping one partition left behind: per chain, the last dropped record. */
export interface DroppedPartition {
  readonly partition: string;
  readonly checkpoints: ReadonlyArray<{ readonly chain: string; readonly seq: number }>;
}

/**
 * The daily partitions of the records table: created on demand, dropped by retention. Creating
 * one takes an exclusive lock on the parent table (Postgres 15+), so partitions are created
 * ahead of time by the retention job and only rarely by an append.
 */
@Injectable()
export class AuditPartitionRepository {
  /** Partitions this process created or saw; appends check here instead of asking Postgres. */
  private readonly known = new Set<string>();

  constructor(
    @Inject(AUDIT_DATABASE) private readonly database: Database,
    private readonly tables: AuditTables,
  ) {}

  isKnown(partition: DailyPartition): boolean {
    return this.known.has(partition.name);
  }

  /** Called when an insert found no partition for its day: it was dropped behind our back. */
  forget(partition: DailyPartition): void {
    this.known.delete(partition.name);
  }

  /** Creates the partition unless it exists; a replica creating it at the same moment is fine. */
  async ensure(partition: DailyPartition): Promise<void> {
    if (this.known.has(partition.name)) return;
    try {
      await this.database.dataSource().query(
        `CREATE TABLE IF NOT EXISTS ${this.tables.qualified(partition.name)}
         PARTITION OF ${this.tables.records}
         FOR VALUES FROM ('${partition.from.toISOString()}') TO ('${partition.to.toISOString()}')`,
      );
    } catch (error) {
      if (!isAlreadyCreated(error)) throw error;
    }
    this.known.add(partition.name);
  }

  /** The daily partitions that exist, oldest first. */
  async list(): Promise<DailyPartition[]> {
    const rows: Array<{ name: string }> = await this.database.dataSource().query(
      `SELECT child.relname AS name
       FROM pg_inherits
       JOIN pg_class child ON child.oid = pg_inherits.inhrelid
       JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
       JOIN pg_namespace ON pg_namespace.oid = parent.relnamespace
       WHERE pg_namespace.nspname = $1 AND parent.relname = 'records'`,
      [this.tables.schema],
    );
    return rows
      .map((row) => partitionNamed(row.name))
      .filter((partition) => partition !== undefined)
      .sort((left, right) => left.from.getTime() - right.from.getTime());
  }

  /**
   * Drops a partition and, in the same transaction, records per chain its last seq and hash as
   * the chain's checkpoint: verification anchors the first remaining record on it. Event ids of
   * the dropped rows go too (Kafka has long forgotten those events, so none can come back).
   */
  async dropWithCheckpoint(partition: DailyPartition): Promise<DroppedPartition | undefined> {
    return this.database.dataSource().transaction(async (manager) => {
      // Two replicas' retention jobs would otherwise checkpoint from a table the other just dropped.
      await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.retentionLockKey()]);
      if (!(await this.exists(manager, partition))) return undefined;
      const table = this.tables.qualified(partition.name);
      const lasts: Array<{ chain: string; seq: string }> = await manager.query(
        `INSERT INTO ${this.tables.checkpoints} AS checkpoint ("chain", "seq", "hash", "partition")
         SELECT DISTINCT ON ("chain") "chain", "seq", "hash", $1 FROM ${table} ORDER BY "chain", "seq" DESC
         ON CONFLICT ("chain") DO UPDATE
           SET "seq" = EXCLUDED."seq", "hash" = EXCLUDED."hash", "partition" = EXCLUDED."partition",
               "created_at" = now()
           WHERE checkpoint."seq" < EXCLUDED."seq"
         RETURNING "chain", "seq"`,
        [partition.name],
      );
      await manager.query(`DELETE FROM ${this.tables.eventIds} WHERE "recorded_at" < $1`, [partition.to]);
      await manager.query(`DROP TABLE ${table}`);
      this.known.delete(partition.name);
      return {
        partition: partition.name,
        checkpoints: lasts.map((row) => ({ chain: row.chain, seq: Number(row.seq) })),
      };
    });
  }

  private async exists(manager: EntityManager, partition: DailyPartition): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM pg_class JOIN pg_namespace ON pg_namespace.oid = pg_class.relnamespace
       WHERE pg_namespace.nspname = $1 AND pg_class.relname = $2`,
      [this.tables.schema, partition.name],
    );
    return rows.length > 0;
  }

  /** pg_advisory_xact_lock takes a bigint: the first 8 bytes of a SHA-256, as a string. */
  private retentionLockKey(): string {
    const digest = createHash('sha256').update(`gateway:audit-retention:${this.tables.schema}`).digest();
    return digest.readBigInt64BE(0).toString();
  }
}
