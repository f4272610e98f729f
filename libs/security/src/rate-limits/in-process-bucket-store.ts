import { createLogger, type Logger } from '@gateway/platform';
import {
  allowedBatch,
  assertTakeable,
  type BucketBatchTake,
  type BucketSpec,
  type BucketStore,
  type BucketTake,
  millisecondsUntil,
  tokenEpsilon,
} from './bucket-store';

/** Mutated in place on every take, so a busy bucket costs no allocation. */
interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
  refillPerSecond: number;
}

export interface InProcessBucketStoreOptions {
  /** Above this many buckets, full ones are dropped at once and then the oldest. */
  readonly maxBuckets?: number;
  /** How often full buckets are dropped in the background. */
  readonly sweepIntervalMs?: number;
  /** Milliseconds on a monotonic clock. */
  readonly now?: () => number;
  readonly logger?: Logger;
}

/**
 * Buckets in a Map, refilled lazily from the time elapsed since their last take. Enough for one
 * ingress process; several processes each keep their own buckets (see RedisBucketStore).
 */
export class InProcessBucketStore implements BucketStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxBuckets: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly sweepTimer: NodeJS.Timeout;
  private lastOverflowLog = Number.NEGATIVE_INFINITY;

  constructor(options: InProcessBucketStoreOptions = {}) {
    this.maxBuckets = options.maxBuckets ?? 100_000;
    this.now = options.now ?? (() => performance.now());
    this.logger = options.logger ?? createLogger('rate-limits');
    this.sweepTimer = setInterval(() => this.dropFullBuckets(this.now()), options.sweepIntervalMs ?? 60_000);
    this.sweepTimer.unref();
  }

  /** How many buckets are held: those taken from and not yet full again (or not yet swept). */
  get size(): number {
    return this.buckets.size;
  }

  take(key: string, capacity: number, refillPerSecond: number, cost: number): Promise<BucketTake> {
    assertTakeable(capacity, refillPerSecond, cost);
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = level(bucket, capacity, refillPerSecond, now);
    if (tokens + tokenEpsilon < cost) {
      return Promise.resolve({
        allowed: false,
        remaining: Math.floor(tokens),
        retryAfterMs: millisecondsUntil(tokens, cost, refillPerSecond),
      });
    }
    const left = this.commit(key, bucket, tokens - cost, capacity, refillPerSecond, now);
    return Promise.resolve({ allowed: true, remaining: Math.floor(left), retryAfterMs: 0 });
  }

  takeAll(specs: readonly BucketSpec[]): Promise<BucketBatchTake> {
    const now = this.now();
    // Check every bucket before charging any: nothing awaits in between, so this is atomic.
    for (let index = 0; index < specs.length; index++) {
      const { key, capacity, refillPerSecond, cost } = specs[index]!;
      assertTakeable(capacity, refillPerSecond, cost);
      const tokens = level(this.buckets.get(key), capacity, refillPerSecond, now);
      if (tokens + tokenEpsilon < cost) {
        return Promise.resolve({
          allowed: false,
          refused: index,
          retryAfterMs: millisecondsUntil(tokens, cost, refillPerSecond),
        });
      }
    }
    for (const { key, capacity, refillPerSecond, cost } of specs) {
      const bucket = this.buckets.get(key);
      this.commit(
        key,
        bucket,
        level(bucket, capacity, refillPerSecond, now) - cost,
        capacity,
        refillPerSecond,
        now,
      );
    }
    return Promise.resolve(allowedBatch);
  }

  close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.buckets.clear();
    return Promise.resolve();
  }

  private commit(
    key: string,
    bucket: Bucket | undefined,
    tokens: number,
    capacity: number,
    refillPerSecond: number,
    now: number,
  ): number {
    const left = Math.max(0, tokens);
    if (bucket) {
      bucket.tokens = left;
      bucket.updatedAt = now;
      // A new policy bundle may have changed the rule behind the key.
      bucket.capacity = capacity;
      bucket.refillPerSecond = refillPerSecond;
      return left;
    }
    if (this.buckets.size >= this.maxBuckets) this.makeRoom(now);
    this.buckets.set(key, { tokens: left, updatedAt: now, capacity, refillPerSecond });
    return left;
  }

  private dropFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (level(bucket, bucket.capacity, bucket.refillPerSecond, now) >= bucket.capacity)
        this.buckets.delete(key);
    }
  }

  /**
   * Full buckets go first, losing nothing. If that is not enough, the oldest-created tenth goes
   * too: those callers get a fresh bucket (a burst more than their due), which beats unbounded
   * memory under a flood of distinct agents or tools.
   */
  private makeRoom(now: number): void {
    this.dropFullBuckets(now);
    const target = Math.floor(this.maxBuckets * 0.9);
    if (this.buckets.size <= target) return;
    let excess = this.buckets.size - target;
    for (const key of this.buckets.keys()) {
      if (excess-- <= 0) break;
      this.buckets.delete(key);
    }
    if (now - this.lastOverflowLog >= 60_000) {
      this.lastOverflowLog = now;
      this.logger.warn(
        { maxBuckets: this.maxBuckets },
        'rate-limit buckets at capacity: oldest partly used buckets dropped (they restart full)',
      );
    }
  }
}

function level(bucket: Bucket | undefined, capacity: number, refillPerSecond: number, now: number): number {
  if (!bucket) return capacity;
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return Math.min(capacity, bucket.tokens + (elapsed * refillPerSecond) / 1000);
}
