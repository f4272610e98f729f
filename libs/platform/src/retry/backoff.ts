export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** The delays every messaging retry loop uses unless told otherwise. */
export const defaultBackoff: BackoffOptions = { initialMs: 100, maxMs: 5_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry): doubles from the initial delay up
 * to the cap, minus up to 20% jitter, so replicas that lost a dependency together (a broker or
 * database restart) do not retry in lock-step.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = defaultBackoff,
  random = Math.random,
): number {
  const capped = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(capped * (1 - 0.2 * random()));
}

/** Capped exponential backoff with jitter, counting its own attempts. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = defaultBackoff) {}

  /** The delay before the next attempt; each call doubles it up to the cap. */
  next(): number {
    const delay = backoffDelay(this.attempt, this.options);
    this.attempt += 1;
    return delay;
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

export interface RetryUntilDoneOptions {
  /** Stops retrying once this returns true (the owner is shutting down). */
  readonly stopped: () => boolean;
  readonly onFailure: (error: unknown, attempt: number) => void;
  readonly backoff?: BackoffOptions;
}

/**
 * Runs `work` until it succeeds or the owner stops, waiting with backoff between failures: how
 * services load state that depends on another service or the database without failing start-up.
 * Resolves true when the work succeeded.
 */
export async function retryUntilDone(
  work: () => Promise<void>,
  options: RetryUntilDoneOptions,
): Promise<boolean> {
  const backoff = new Backoff(options.backoff ?? { initialMs: 250, maxMs: 5_000 });
  while (!options.stopped()) {
    try {
      await work();
      return true;
    } catch (error) {
      options.onFailure(error, backoff.failures);
      await sleep(backoff.next());
    }
  }
  return false;
}
