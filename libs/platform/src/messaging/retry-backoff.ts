export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** The delays every messaging retry loop uses unless told otherwise. */
export const defaultBackoff: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

/**
 * Capped exponential backoff with jitter. Jitter keeps the consumers and publishers of many
 * replicas from reconnecting in lock-step after a broker restart.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = defaultBackoff) {}

  /** The delay before the next attempt; each call doubles it up to the cap. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    const jitter = 0.8 + Math.random() * 0.4;
    return Math.round(Math.min(this.options.maxMs, base * jitter));
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

/**
 * Waits `ms`, or less when the signal aborts. Never rejects: retry loops check their own
 * "closed" state after waking, which keeps abort handling in one place.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
