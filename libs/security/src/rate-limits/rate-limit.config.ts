import { envFields, type Logger, loadEnvConfig } from '@gateway/platform';
import { z } from 'zod';
import type { BucketStore } from './bucket-store';
import { InProcessBucketStore } from './in-process-bucket-store';
import { type RateLimitFailMode, RedisBucketStore } from './redis-bucket-store';

const rateLimitEnvSchema = z.object({
  // Blank counts as unset, so `RATE_LIMIT_REDIS_URL=` switches a sourced env.sh back to in-process.
  RATE_LIMIT_REDIS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
      .optional(),
  ),
  RATE_LIMIT_FAIL_MODE: z.enum(['open', 'closed'], { error: 'expected "open" or "closed"' }).default('open'),
  RATE_LIMIT_TIMEOUT_MS: envFields.milliseconds(200),
});

export interface RateLimitConfig {
  /** Shared buckets in this Redis; in-process buckets (per ingress process) when absent. */
  readonly redisUrl?: string;
  /** While Redis cannot answer: let calls through (open) or refuse them (closed). */
  readonly failMode: RateLimitFailMode;
  /** How long one Redis command may take before the fail mode applies. */
  readonly timeoutMs: number;
}

/** RATE_LIMIT_REDIS_URL, RATE_LIMIT_FAIL_MODE (open) and RATE_LIMIT_TIMEOUT_MS (200). */
export function loadRateLimitConfig(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
  const parsed = loadEnvConfig(rateLimitEnvSchema, env);
  return {
    ...(parsed.RATE_LIMIT_REDIS_URL ? { redisUrl: parsed.RATE_LIMIT_REDIS_URL } : {}),
    failMode: parsed.RATE_LIMIT_FAIL_MODE,
    timeoutMs: parsed.RATE_LIMIT_TIMEOUT_MS,
  };
}

/** The store the configuration asks for; the caller closes it at shutdown. */
export function createBucketStore(config: RateLimitConfig, logger?: Logger): BucketStore {
  if (!config.redisUrl) return new InProcessBucketStore(logger ? { logger } : {});
  return new RedisBucketStore({
    url: config.redisUrl,
    failMode: config.failMode,
    commandTimeoutMs: config.timeoutMs,
    ...(logger ? { logger } : {}),
  });
}
