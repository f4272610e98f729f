/** What one take from one bucket did. */
export interface BucketTake {
  readonly allowed: boolean;
  /** Whole tokens left after the take (or, when refused, before it). */
  readonly remaining: number;
  /** When refused: how long until the bucket holds `cost` tokens again; 0 when allowed. */
  readonly retryAfterMs: number;
}

/** One bucket of a request, with the shape of its rule. */
export interface BucketSpec {
  readonly key: string;
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly cost: number;
}

/** All buckets charged, or none: `refused` is the index of the first bucket that lacked tokens. */
export type BucketBatchTake =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly refused: number; readonly retryAfterMs: number };

/**
 * Token buckets keyed by string. A bucket starts full, refills continuously at
 * `refillPerSecond` up to `capacity`, and a take removes `cost` tokens when it holds that many.
 * A bucket nobody touched for as long as it takes to fill is indistinguishable from a new one,
 * which is what lets stores forget idle buckets.
 */
export interface BucketStore {
  take(key: string, capacity: number, refillPerSecond: number, cost: number): Promise<BucketTake>;
  /**
   * Takes from every bucket atomically, or from none when one of them lacks tokens, so a request
   * refused by one rule does not use up the allowance of the others.
   */
  takeAll(buckets: readonly BucketSpec[]): Promise<BucketBatchTake>;
  close(): Promise<void>;
}

export const allowedBatch: BucketBatchTake = Object.freeze({ allowed: true });

/** A take that could never succeed is a caller bug, not a rate limit. */
export function assertTakeable(capacity: number, refillPerSecond: number, cost: number): void {
  if (!(capacity > 0 && refillPerSecond > 0 && cost > 0 && cost <= capacity)) {
    throw new RangeError(
      `invalid token bucket take: capacity ${capacity}, refillPerSecond ${refillPerSecond}, cost ${cost} ` +
        '(all must be positive, and cost at most capacity)',
    );
  }
}

/**
 * Float noise must neither turn "exactly enough after waiting retryAfterMs" into a refusal nor
 * round a retry up by a whole millisecond (0.998 tokens at 2/s is 1 ms short, not 1.0000000009).
 */
export const tokenEpsilon = 1e-9;

/** Milliseconds until `tokens` grows to `cost` at `refillPerSecond`; at least 1. */
export function millisecondsUntil(tokens: number, cost: number, refillPerSecond: number): number {
  return Math.max(1, Math.ceil(((cost - tokens) * 1000) / refillPerSecond - tokenEpsilon));
}
