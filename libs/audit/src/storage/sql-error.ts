/** The SQLSTATE of a failed query, from TypeORM's QueryFailedError or a bare `pg` error. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return sqlState((error as { driverError?: unknown }).driverError);
}

/** Another session created the same table first: a race two replicas may run, and both win. */
export function isAlreadyCreated(error: unknown): boolean {
  const state = sqlState(error);
  return state === '42P07' || state === '23505';
}

/** A deadlock or serialization failure: the transaction did nothing and may simply run again. */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/** No partition of the records table takes the row: its day has not been created (or was dropped). */
export function isMissingPartition(error: unknown): boolean {
  return sqlState(error) === '23514' && /no partition/i.test(String((error as Error).message));
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * The database cannot be reached right now (as opposed to a query that is wrong): connection
 * errors (SQLSTATE class 08), a server shutting down (57P01-57P03) or a socket that failed.
 */
export function isConnectionFailure(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined && (state.startsWith('08') || /^57P0[123]$/.test(state))) return true;
  if (state !== undefined && unreachableCodes.has(state)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}
