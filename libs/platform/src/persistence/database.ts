import type { DataSource, EntitySchema, MixedList } from 'typeorm';

export interface DatabaseOptions {
  /** postgres:// URL of the server (Postgres, or the embedded PGlite socket server). */
  readonly url: string;
  /** The service's own schema: every table of the service lives in it (one schema per service). */
  readonly schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  /**
   * Applied in order under a lock, each in its own transaction with search_path set to `schema`,
   * so their SQL may leave table names unqualified. Repositories get fully qualified names.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  /** Maximum pool connections. */
  readonly poolSize?: number;
}

export interface DatabaseHealth {
  readonly ready: boolean;
  readonly detail: string;
}

/** Thrown by repositories while the database is unreachable; mapped to a clear error at the edge. */
export class DatabaseUnavailableError extends Error {
  constructor(schema: string, cause?: unknown) {
    super(`database for schema "${schema}" is not available`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** The connection of one service to its schema. */
export interface Database {
  /** Connects and migrates in the background, retrying with backoff until it succeeds. */
  start(): void;
  /** Resolves once connected and migrated (for code that cannot work without it). */
  whenReady(): Promise<DataSource>;
  /** The data source; throws DatabaseUnavailableError until start() has connected and migrated. */
  dataSource(): DataSource;
  health(): DatabaseHealth;
  close(): Promise<void>;
}
