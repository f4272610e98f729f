import { ConfigError } from '@gateway/platform';
import pino from 'pino';
import { InProcessBucketStore } from './in-process-bucket-store';
import { createBucketStore, loadRateLimitConfig } from './rate-limit.config';

describe('loadRateLimitConfig', () => {
  it('defaults to in-process buckets, failing open, with a 200 ms Redis timeout', () => {
    expect(loadRateLimitConfig({})).toEqual({ failMode: 'open', timeoutMs: 200 });
    expect(loadRateLimitConfig({ RATE_LIMIT_REDIS_URL: '' })).toEqual({ failMode: 'open', timeoutMs: 200 });
  });

  it('reads the Redis URL, the fail mode and the timeout', () => {
    expect(
      loadRateLimitConfig({
        RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:56379',
        RATE_LIMIT_FAIL_MODE: 'closed',
        RATE_LIMIT_TIMEOUT_MS: '50',
      }),
    ).toEqual({ redisUrl: 'redis://127.0.0.1:56379', failMode: 'closed', timeoutMs: 50 });
  });

  it('names each bad variable', () => {
    const load = () =>
      loadRateLimitConfig({
        RATE_LIMIT_REDIS_URL: '127.0.0.1:6379',
        RATE_LIMIT_FAIL_MODE: 'sometimes',
        RATE_LIMIT_TIMEOUT_MS: '-1',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/RATE_LIMIT_REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/);
    expect(load).toThrow(/RATE_LIMIT_FAIL_MODE: expected "open" or "closed"/);
    expect(load).toThrow(/RATE_LIMIT_TIMEOUT_MS: expected a positive number of milliseconds/);
  });
});

describe('createBucketStore', () => {
  it('keeps buckets in process without a Redis URL', async () => {
    const store = createBucketStore({ failMode: 'open', timeoutMs: 200 }, pino({ level: 'silent' }));
    expect(store).toBeInstanceOf(InProcessBucketStore);
    await store.close();
  });
});
