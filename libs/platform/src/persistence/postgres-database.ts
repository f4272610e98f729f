import { DataSource, MigrationExecutor, type MigrationInterface } from 'typeorm';
import { createLogger, type Logger } from '../observability/logger';
import {
  type Database,
  type DatabaseHealth,
  type DatabaseOptions,
  DatabaseUnavailableError,
} from './database';
import { describeError, redactUrl } from './database-diagnostics';
import { withMigrationLock } from './migration-lock';
import { PinoTypeormLogger } from './pino-typeorm.logger';
import { type BackoffOptions, backoffDelay } from '../retry/backoff';

/** Timings, overridable so tests do not wait for production values. */
export interface PostgresDatabaseTuning {
  readonly backoff?: BackoffOptions;
  /** How often a ready database is probed with SELECT 1, so health() never queries. */
  readonly healthCheckIntervalMs?: number;
  /** A probe still running after this long counts as a lost connection. */
  readonly healthCheckTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

type Phase = 'idle' | 'starting' | 'ready' | 'closed';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The Database port over TypeORM and the `pg` driver: Postgres, or PGlite behind its socket server. */
export class PostgresDatabase implements Database {
  private phase: Phase = 'idle';
  private current?: DataSource;
  private lastError?: string;
  private failedAttempts = 0;
  private connecting?: Promise<void>;
  private closing?: Promise<void>;
  private retryWait?: { readonly timer: NodeJS.Timeout; readonly wake: () => void };
  private healthTimer?: NodeJS.Timeout;
  private healthy = true;
  private probeStartedAt?: number;
  private readonly ready: Promise<DataSource>;
  private resolveReady!: (dataSource: DataSource) => void;
  private rejectReady!: (error: Error) => void;
  private readonly tuning: Required<PostgresDatabaseTuning>;

  constructor(
    private readonly options: DatabaseOptions,
    private readonly logger: Logger = createLogger('database', { schema: options.schema }),
    tuning: PostgresDatabaseTuning = {},
  ) {
    if (!SCHEMA_NAME.test(options.schema)) {
      throw new Error(`invalid schema name "${options.schema}": use lower-case letters, digits and _`);
    }
    this.tuning = {
      backoff: tuning.backoff ?? { initialMs: 250, maxMs: 5_000 },
      healthCheckIntervalMs: tuning.healthCheckIntervalMs ?? 2_000,
      healthCheckTimeoutMs: tuning.healthCheckTimeoutMs ?? 5_000,
      connectTimeoutMs: tuning.connectTimeoutMs ?? 5_000,
    };
    this.ready = new Promise<DataSource>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody may be waiting when close() rejects it; callers of whenReady() still see the rejection.
    this.ready.catch(() => undefined);
  }

  start(): void {
    if (this.phase !== 'idle') return;
    this.phase = 'starting';
    this.connecting = this.connectUntilReady();
  }

  whenReady(): Promise<DataSource> {
    return this.ready;
  }

  /** Stays available once ready, even while a probe fails: the pool reconnects by itself. */
  dataSource(): DataSource {
    if (this.phase === 'ready' && this.current) return this.current;
    throw new DatabaseUnavailableError(this.options.schema, this.lastError);
  }

  health(): DatabaseHealth {
    const target = redactUrl(this.options.url);
    switch (this.phase) {
      case 'idle':
        return { ready: false, detail: 'not started' };
      case 'starting':
        return this.lastError === undefined
          ? { ready: false, detail: `connecting to ${target}` }
          : {
              ready: false,
              detail: `not connected to ${target} after ${this.failedAttempts} attempt(s): ${this.lastError}`,
            };
      case 'ready':
        return this.readyHealth(target);
      case 'closed':
        return { ready: false, detail: 'closed' };
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private readyHealth(target: string): DatabaseHealth {
    const probeOverdue =
      this.probeStartedAt !== undefined &&
      Date.now() - this.probeStartedAt > this.tuning.healthCheckTimeoutMs;
    if (probeOverdue) return { ready: false, detail: `no answer from ${target} to the health probe` };
    if (!this.healthy) {
      return { ready: false, detail: `lost connection to ${target}: ${this.lastError ?? 'unknown'}` };
    }
    return { ready: true, detail: `connected to ${target}, schema "${this.options.schema}" migrated` };
  }

  private isClosed(): boolean {
    return this.phase === 'closed';
  }

  private async connectUntilReady(): Promise<void> {
    while (!this.isClosed()) {
      try {
        const dataSource = await this.connectAndMigrate();
        if (this.isClosed()) {
          await this.destroyQuietly(dataSource);
          return;
        }
        this.becomeReady(dataSource);
        return;
      } catch (error) {
        if (this.isClosed()) return;
        await this.waitBeforeRetry(this.recordFailure(error));
      }
    }
  }

  private async connectAndMigrate(): Promise<DataSource> {
    const startedAt = Date.now();
    const dataSource = new DataSource(this.dataSourceOptions());
    try {
      await dataSource.initialize();
      const applied = await this.migrate(dataSource);
      this.logger.info({ applied, durationMs: Date.now() - startedAt }, 'database ready');
      return dataSource;
    } catch (error) {
      await this.destroyQuietly(dataSource);
      throw error;
    }
  }

  private dataSourceOptions(): ConstructorParameters<typeof DataSource>[0] {
    return {
      type: 'postgres',
      url: this.options.url,
      schema: this.options.schema,
      entities: this.options.entities,
      migrations: this.options.migrations,
      migrationsTableName: 'migrations',
      migrationsRun: false,
      synchronize: false,
      // Schema changes belong in migrations, and CREATE EXTENSION needs rights a service should not have.
      installExtensions: false,
      poolSize: this.options.poolSize,
      connectTimeoutMS: this.tuning.connectTimeoutMs,
      applicationName: `gateway:${this.options.schema}`,
      logger: new PinoTypeormLogger(this.logger),
      maxQueryExecutionTime: 1_000,
      poolErrorHandler: (error: unknown) =>
        this.logger.warn({ err: describeError(error) }, 'idle database connection failed'),
    };
  }

  /** Creates the schema and applies pending migrations, one schema at a time across processes. */
  private async migrate(dataSource: DataSource): Promise<string[]> {
    scopeMigrationsToSchema(dataSource.migrations, this.options.schema);
    const runner = dataSource.createQueryRunner();
    try {
      return await withMigrationLock(runner, this.options.url, this.options.schema, async () => {
        await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.options.schema)}`);
        const executor = new MigrationExecutor(dataSource, runner);
        executor.transaction = 'each';
        const applied = await executor.executePendingMigrations();
        return applied.map((migration) => migration.name);
      });
    } finally {
      await runner.release();
    }
  }

  private becomeReady(dataSource: DataSource): void {
    this.current = dataSource;
    this.phase = 'ready';
    this.lastError = undefined;
    this.healthy = true;
    this.healthTimer = setInterval(() => void this.probe(), this.tuning.healthCheckIntervalMs);
    this.healthTimer.unref();
    this.resolveReady(dataSource);
  }

  /** Records a failed attempt and returns how long to wait before the next one. */
  private recordFailure(error: unknown): number {
    const delayMs = backoffDelay(this.failedAttempts, this.tuning.backoff);
    this.failedAttempts += 1;
    this.lastError = describeError(error);
    this.logger.warn(
      {
        err: this.lastError,
        attempt: this.failedAttempts,
        retryInMs: delayMs,
        url: redactUrl(this.options.url),
      },
      'database not ready, retrying',
    );
    return delayMs;
  }

  private waitBeforeRetry(delayMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.retryWait = undefined;
        resolve();
      };
      this.retryWait = { timer: setTimeout(wake, delayMs), wake };
    });
  }

  private async probe(): Promise<void> {
    const dataSource = this.current;
    if (!dataSource || this.probeStartedAt !== undefined) return;
    this.probeStartedAt = Date.now();
    try {
      await dataSource.query('SELECT 1');
      if (!this.healthy) this.logger.info('database connection restored');
      this.healthy = true;
    } catch (error) {
      this.lastError = describeError(error);
      if (this.healthy) this.logger.warn({ err: this.lastError }, 'database connection lost');
      this.healthy = false;
    } finally {
      this.probeStartedAt = undefined;
    }
  }

  private async shutdown(): Promise<void> {
    this.phase = 'closed';
    clearInterval(this.healthTimer);
    if (this.retryWait) {
      clearTimeout(this.retryWait.timer);
      this.retryWait.wake();
    }
    await this.connecting;
    const dataSource = this.current;
    this.current = undefined;
    if (dataSource) await this.destroyQuietly(dataSource);
    this.rejectReady(new DatabaseUnavailableError(this.options.schema, new Error('database closed')));
  }

  private async destroyQuietly(dataSource: DataSource): Promise<void> {
    if (!dataSource.isInitialized) return;
    try {
      await dataSource.destroy();
    } catch (error) {
      this.logger.warn({ err: describeError(error) }, 'closing the database connections failed');
    }
  }
}

/**
 * Migrations may name tables without their schema (CREATE TABLE "servers"): each one runs after
 * SET LOCAL search_path inside its own transaction. Session-level SET would leak: on PGlite every
 * service shares one session, while a transaction pins that session to the migrating connection.
 */
function scopeMigrationsToSchema(migrations: MigrationInterface[], schema: string): void {
  const searchPath = `SET LOCAL search_path TO ${quoteIdentifier(schema)}, public`;
  for (const migration of migrations) {
    if (migration.transaction === false) {
      throw new Error(`migration ${migration.name ?? migration.constructor.name} must run in a transaction`);
    }
    const up = migration.up.bind(migration);
    const down = migration.down.bind(migration);
    migration.up = async (runner) => {
      await runner.query(searchPath);
      await up(runner);
    };
    migration.down = async (runner) => {
      await runner.query(searchPath);
      await down(runner);
    };
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
