import type { Logger as TypeormLogger } from 'typeorm';
import type { Logger } from '../observability/logger';

/**
 * Routes TypeORM's log calls to pino. SQL text goes out only at trace level and parameters never,
 * since they can carry user data; failed queries are debug because callers see and handle the error.
 */
export class PinoTypeormLogger implements TypeormLogger {
  constructor(private readonly logger: Logger) {}

  logQuery(query: string): void {
    this.logger.trace({ query }, 'query');
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ query, err: error }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ query, durationMs: time }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = String(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.debug(text);
  }
}
