import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { KeyedMutex } from './keyed-mutex';

/**
 * Advisory lock key for the migrations of one schema: the first 8 bytes of a SHA-256, read as the
 * signed 64-bit integer pg_advisory_lock(bigint) takes. Returned as a string: it does not fit a JS number.
 */
export function migrationLockKey(schema: string): string {
  const digest = createHash('sha256').update(`gateway:migrations:${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/*
 * Advisory locks are per session, and in the embedded topology every service of the process talks
 * to the one PGlite session behind the socket server, where the lock is re-entrant and excludes
 * nothing. So migrations against the same server are also serialised inside the process.
 */
const processMigrationMutex = new KeyedMutex();

/** Runs `work` holding both the process-wide mutex for `url` and the advisory lock for `schema` on `runner`. */
export async function withMigrationLock<T>(
  runner: QueryRunner,
  url: string,
  schema: string,
  work: () => Promise<T>,
): Promise<T> {
  return processMigrationMutex.runExclusive(url, async () => {
    const key = migrationLockKey(schema);
    await runner.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // The migration error is the one worth reporting; a dead connection frees the lock anyway.
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      throw error;
    }
    // An unlock that fails fails the attempt: the caller then drops the connection, which frees the lock.
    await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    return result;
  });
}
