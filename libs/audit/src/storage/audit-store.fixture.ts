import { randomBytes } from 'node:crypto';
import { type Database, PostgresDatabase } from '@gateway/platform';
import pino from 'pino';
import type { AuditConfig } from '../audit-config';
import { auditMigrations } from '../audit.module';
import { AuditExportService } from '../query/audit-export.service';
import { AuditRetentionJob } from '../retention/audit-retention.job';
import { AuditVerifyService } from '../verify/audit-verify.service';
import { AuditChainRepository } from './audit-chain.repository';
import { AuditPartitionRepository } from './audit-partition.repository';
import { AuditQueryRepository } from './audit-query.repository';
import { AuditRecordRepository } from './audit-record.repository';
import { AuditTables } from './audit-tables';

/* The audit repositories and services over a real database, for the integration suites. */

// Components log through the process logger; keep test output readable unless asked otherwise.
process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

export const postgresUrl =
  process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway';

export function uniqueSchema(): string {
  return `audit_test_${randomBytes(5).toString('hex')}`;
}

export function quietLogger(): pino.Logger {
  return pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
}

/** A clock the test moves, e.g. 100 days back to fill a partition retention will drop. */
export class TestClock {
  private current = new Date();

  readonly now = (): Date => this.current;

  set(time: Date): void {
    this.current = time;
  }

  daysAgo(days: number): void {
    this.current = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
  }

  reset(): void {
    this.current = new Date();
  }
}

export interface AuditStore {
  readonly database: Database;
  readonly tables: AuditTables;
  readonly clock: TestClock;
  readonly partitions: AuditPartitionRepository;
  readonly records: AuditRecordRepository;
  readonly chains: AuditChainRepository;
  readonly query: AuditQueryRepository;
  readonly verifier: AuditVerifyService;
  readonly exports: AuditExportService;
  readonly retention: AuditRetentionJob;
  /** Raw SQL, as someone tampering with the table would run it. */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface AuditStoreOptions {
  readonly verifyBatchSize?: number;
  readonly exportBatchSize?: number;
  readonly config?: AuditConfig;
}

/** Opens (and migrates) the audit schema `schema` at `url`, with every repository wired by hand. */
export async function openAuditStore(
  url: string,
  schema: string,
  options: AuditStoreOptions = {},
): Promise<AuditStore> {
  const database = new PostgresDatabase(
    { url, schema, entities: [], migrations: auditMigrations, poolSize: 4 },
    quietLogger(),
  );
  database.start();
  const dataSource = await database.whenReady();
  const tables = new AuditTables(schema);
  const clock = new TestClock();
  const partitions = new AuditPartitionRepository(database, tables);
  const query = new AuditQueryRepository(database, tables);
  const chains = new AuditChainRepository(database, tables);
  const config = options.config ?? { retentionDays: 90, retentionIntervalMs: 60_000 };
  return {
    database,
    tables,
    clock,
    partitions,
    records: new AuditRecordRepository(database, tables, partitions, clock.now),
    chains,
    query,
    verifier: new AuditVerifyService(chains, options.verifyBatchSize),
    exports: new AuditExportService(query, options.exportBatchSize),
    retention: new AuditRetentionJob(database, partitions, config, clock.now),
    sql: (text, params) => dataSource.query(text, params),
    close: () => database.close(),
  };
}
