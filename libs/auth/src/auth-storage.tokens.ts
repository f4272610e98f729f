import { createHash } from 'node:crypto';

/** The auth service's Database (schema `auth`, or a test's own). */
export const AUTH_DATABASE = Symbol('AUTH_DATABASE');

/** The schema name, which also scopes the advisory locks of the service's one-replica jobs. */
export const AUTH_SCHEMA = Symbol('AUTH_SCHEMA');

export type AuthJob = 'signing-keys' | 'bootstrap-admin';

/**
 * The pg_advisory_xact_lock key of a job that only one replica may run at a time: the first 8
 * bytes of a SHA-256 as the signed 64-bit integer Postgres takes, as a string (it overflows a JS number).
 */
export function jobLockKey(schema: string, job: AuthJob): string {
  return createHash('sha256').update(`gateway:${schema}:${job}`).digest().readBigInt64BE(0).toString();
}

/** The SQLSTATE of a failed query, from TypeORM's QueryFailedError or a bare `pg` error. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return sqlState((error as { driverError?: unknown }).driverError);
}

export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}
