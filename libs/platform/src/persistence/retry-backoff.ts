export interface BackoffPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 250, maxDelayMs: 5_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry): doubles from the initial delay up to
 * the cap, minus up to 20% jitter so services that lost the database together do not retry in step.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const exponential = policy.initialDelayMs * 2 ** Math.min(attempt, 30);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (1 - 0.2 * random()));
}
