import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { BucketStore } from './bucket-store';
import { createBucketStore, loadRateLimitConfig } from './rate-limit.config';
import { RateLimiter } from './rate-limiter';
import { rateLimitKeyPrefix, RedisBucketStore } from './redis-bucket-store';
import { tokenBucketScriptSha } from './token-bucket.script';

const redisUrl =
  process.env['RATE_LIMIT_REDIS_URL'] || `redis://127.0.0.1:${process.env['REDIS_PORT'] ?? '56379'}`;
const silent = pino({ level: 'silent' });
const run = randomUUID();
let admin: Redis;
const stores: BucketStore[] = [];

/** A store as one ingress process would build it from its environment: its own connection. */
function ingressStore(failMode: 'open' | 'closed' = 'open'): BucketStore {
  const store = createBucketStore(
    loadRateLimitConfig({ RATE_LIMIT_REDIS_URL: redisUrl, RATE_LIMIT_FAIL_MODE: failMode }),
    silent,
  );
  stores.push(store);
  return store;
}

function key(name: string): string {
  return `{test-${run}}:${name}`;
}

async function waitFor(
  condition: () => Promise<boolean>,
  description: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Settles with the promise, or fails the test if it has not within the deadline. */
async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  admin = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
    await admin.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${redisUrl} (${(error as Error).message}); start it with: bash infra/local/up.sh`,
    );
  }
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  const keys = await admin.keys(`${rateLimitKeyPrefix}{test-${run}}*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

describe('RedisBucketStore against the local Redis', () => {
  it('lets two ingress processes share one bucket: exactly capacity across both, then a retry time', async () => {
    const [first, second] = [ingressStore(), ingressStore()];
    // One token per hour: nothing refills while the test runs.
    const takes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).take(key('shared'), 5, 1 / 3600, 1)),
    );
    expect(takes.filter((take) => take.allowed)).toHaveLength(5);
    for (const refused of takes.filter((take) => !take.allowed)) {
      expect(refused.remaining).toBe(0);
      expect(refused.retryAfterMs).toBeGreaterThan(3_500_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(3_600_000);
    }
  });

  it('refills: a drained bucket allows again once its retry time has passed, from either process', async () => {
    const [first, second] = [ingressStore(), ingressStore()];
    expect((await first.take(key('refill'), 2, 20, 1)).allowed).toBe(true);
    expect((await first.take(key('refill'), 2, 20, 1)).allowed).toBe(true);
    const refused = await second.take(key('refill'), 2, 20, 1);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(50);
    await waitFor(async () => (await second.take(key('refill'), 2, 20, 1)).allowed, 'a refilled token');
  });

  it('expires a bucket once it would be full again, and keeps it while it is not', async () => {
    const store = ingressStore();
    await store.take(key('expiry'), 2, 1, 1);
    const ttl = await admin.pttl(rateLimitKeyPrefix + key('expiry'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_000);
    await store.take(key('slow'), 2, 1 / 3600, 1);
    expect(await admin.pttl(rateLimitKeyPrefix + key('slow'))).toBeGreaterThan(3_000_000);
    await waitFor(
      async () => (await admin.exists(rateLimitKeyPrefix + key('expiry'))) === 0,
      'the full bucket to expire',
    );
  });

  it('charges no bucket of a request that one bucket refuses', async () => {
    const store = ingressStore();
    await store.take(key('empty'), 1, 1 / 3600, 1);
    const spec = (name: string, capacity: number) => ({
      key: key(name),
      capacity,
      refillPerSecond: 1 / 3600,
      cost: 1,
    });
    const refused = await store.takeAll([spec('untouched', 3), spec('empty', 1)]);
    expect(refused).toMatchObject({ allowed: false, refused: 1 });
    expect(await admin.exists(rateLimitKeyPrefix + key('untouched'))).toBe(0);
    expect(await store.takeAll([spec('untouched', 3), spec('other', 3)])).toEqual({ allowed: true });
    expect(await store.take(key('untouched'), 3, 1 / 3600, 1)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('runs one cached script by its SHA, and reloads it after Redis forgets it', async () => {
    const store = ingressStore();
    await store.take(key('script'), 3, 1, 1);
    expect(await admin.script('EXISTS', tokenBucketScriptSha)).toEqual([1]);
    await admin.script('FLUSH');
    expect(await store.take(key('script'), 3, 1, 1)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await admin.script('EXISTS', tokenBucketScriptSha)).toEqual([1]);
  });

  it('reconnects on its own after losing its connection', async () => {
    const name = `rl-test-${run}`;
    const store = new RedisBucketStore({
      url: redisUrl,
      failMode: 'closed',
      commandTimeoutMs: 200,
      connectionName: name,
      logger: silent,
    });
    stores.push(store);
    expect((await store.take(key('reconnect'), 100, 1, 1)).allowed).toBe(true);
    const clients = (await admin.client('LIST')) as string;
    const id = /id=(\d+) .*name=(\S+)/g;
    const ours = [...clients.matchAll(id)].find((match) => match[2] === name)?.[1];
    expect(ours).toBeDefined();
    await admin.client('KILL', 'ID', ours!);
    await waitFor(
      async () => (await store.take(key('reconnect'), 100, 1, 1)).allowed,
      'a take after reconnecting',
    );
  });
});

describe('RedisBucketStore with Redis unreachable', () => {
  it('fails open: lets calls through without hanging, and logs once rather than per call', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _, done) => void (lines.push(String(chunk)), done()) });
    const store = new RedisBucketStore({
      url: `redis://127.0.0.1:${await closedPort()}`,
      failMode: 'open',
      commandTimeoutMs: 200,
      logger: pino({ level: 'warn' }, sink),
    });
    stores.push(store);
    const limiter = new RateLimiter(store);
    const rules = [{ id: 'tight', per: [], capacity: 1, refillPerSecond: 1 / 3600 }];
    for (let i = 0; i < 20; i++) {
      const verdict = await settlesWithin(
        limiter.check(rules, { tenant: 't', principal: 'a', method: 'tools/call' }),
        5_000,
        'a rate-limit check against a dead Redis',
      );
      expect(verdict).toEqual({ allowed: true });
    }
    expect(await store.take(key('dead'), 1, 1, 1)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    const warnings = lines.filter((line) => line.includes('rate-limit store unavailable'));
    expect(warnings).toHaveLength(1);
  });

  it('fails closed: refuses with a one-second retry, without hanging', async () => {
    const store = new RedisBucketStore({
      url: `redis://127.0.0.1:${await closedPort()}`,
      failMode: 'closed',
      commandTimeoutMs: 200,
      logger: silent,
    });
    stores.push(store);
    const limiter = new RateLimiter(store);
    const rules = [{ id: 'generous', per: [], capacity: 1_000, refillPerSecond: 1_000 }];
    const verdict = await settlesWithin(
      limiter.check(rules, { tenant: 't', principal: 'a', method: 'tools/call' }),
      5_000,
      'a rate-limit check against a dead Redis',
    );
    expect(verdict).toEqual({ allowed: false, ruleId: 'generous', retryAfterMs: 1_000, limit: 1_000 });
    expect(await settlesWithin(store.take(key('dead'), 5, 1, 1), 5_000, 'a take')).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 1_000,
    });
  });
});
