export type { BucketBatchTake, BucketSpec, BucketStore, BucketTake } from './bucket-store';
export { InProcessBucketStore, type InProcessBucketStoreOptions } from './in-process-bucket-store';
export {
  failClosedRetryMs,
  rateLimitKeyPrefix,
  type RateLimitFailMode,
  RedisBucketStore,
  type RedisBucketStoreOptions,
} from './redis-bucket-store';
export {
  bucketKey,
  RateLimiter,
  type RateLimitRequest,
  type RateLimitVerdict,
  ruleApplies,
} from './rate-limiter';
export { createBucketStore, loadRateLimitConfig, type RateLimitConfig } from './rate-limit.config';
export * from './rate-limit.error';
