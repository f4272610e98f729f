import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import type { AuditRecord, ChainAnchor, ChainHead } from '../chain/audit-record';
import { AUDIT_DATABASE } from './audit-storage.tokens';
import { AuditTables } from './audit-tables';
import { recordColumnList, recordFromRow, type RecordRow } from './record-row';

/** What verification reads: chains, their heads and checkpoints, and their records in seq order. */
@Injectable()
export class AuditChainRepository {
  constructor(
    @Inject(AUDIT_DATABASE) private readonly database: Database,
    private readonly tables: AuditTables,
  ) {}

  /**
   * Every chain with a head, a checkpoint or a record. Chains of records are found by skipping
   * through the primary key index (one probe per chain), not by scanning every row.
   */
  async chains(): Promise<string[]> {
    const rows: Array<{ chain: string }> = await this.database.dataSource().query(
      `WITH RECURSIVE record_chains AS (
         (SELECT "chain" FROM ${this.tables.records} ORDER BY "chain" LIMIT 1)
         UNION ALL
         SELECT (SELECT "chain" FROM ${this.tables.records} WHERE "chain" > previous."chain" ORDER BY "chain" LIMIT 1)
         FROM record_chains AS previous WHERE previous."chain" IS NOT NULL
       )
       SELECT "chain" FROM record_chains WHERE "chain" IS NOT NULL
       UNION SELECT "chain" FROM ${this.tables.chainHeads}
       UNION SELECT "chain" FROM ${this.tables.checkpoints}
       ORDER BY "chain"`,
    );
    return rows.map((row) => row.chain);
  }

  async head(chain: string): Promise<ChainHead | undefined> {
    const rows: Array<{ seq: string; hash: string; recorded_at: Date | null }> = await this.database
      .dataSource()
      .query(`SELECT "seq", "hash", "recorded_at" FROM ${this.tables.chainHeads} WHERE "chain" = $1`, [
        chain,
      ]);
    const row = rows[0];
    return row && { chain, seq: Number(row.seq), hash: row.hash, recordedAt: row.recorded_at };
  }

  async checkpoint(chain: string): Promise<ChainAnchor | undefined> {
    const rows: Array<{ seq: string; hash: string }> = await this.database
      .dataSource()
      .query(`SELECT "seq", "hash" FROM ${this.tables.checkpoints} WHERE "chain" = $1`, [chain]);
    const row = rows[0];
    return row && { seq: Number(row.seq), hash: row.hash };
  }

  /** Up to `limit` records of a chain with afterSeq < seq <= upToSeq, in seq order. */
  async records(chain: string, afterSeq: number, upToSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows: RecordRow[] = await this.database.dataSource().query(
      `SELECT ${recordColumnList} FROM ${this.tables.records}
       WHERE "chain" = $1 AND "seq" > $2 AND "seq" <= $3
       ORDER BY "seq", "recorded_at" LIMIT $4`,
      [chain, afterSeq, upToSeq, limit],
    );
    return rows.map(recordFromRow);
  }
}
