import type { RateLimitRule } from '@gateway/contracts';
import pino from 'pino';
import { InProcessBucketStore } from './in-process-bucket-store';
import { bucketKey, RateLimiter, type RateLimitRequest, ruleApplies } from './rate-limiter';

const logger = pino({ level: 'silent' });

function request(overrides: Partial<RateLimitRequest> = {}): RateLimitRequest {
  return { tenant: 'acme', principal: 'agent-1', method: 'tools/call', tool: 'search', ...overrides };
}

function rule(overrides: Partial<RateLimitRule> = {}): RateLimitRule {
  return { id: 'r', per: [], capacity: 1, refillPerSecond: 1, ...overrides };
}

describe('RateLimiter', () => {
  let time: number;
  let store: InProcessBucketStore;
  let limiter: RateLimiter;

  beforeEach(() => {
    time = 0;
    store = new InProcessBucketStore({ now: () => time, logger });
    limiter = new RateLimiter(store);
  });

  afterEach(() => store.close());

  /** How many of `count` identical requests get through. */
  async function admitted(rules: RateLimitRule[], req: RateLimitRequest, count: number): Promise<number> {
    let allowed = 0;
    for (let i = 0; i < count; i++) if ((await limiter.check(rules, req)).allowed) allowed++;
    return allowed;
  }

  it('allows everything when the tenant has no rules', async () => {
    expect(await admitted([], request(), 100)).toBe(100);
  });

  it('refuses past the burst with the rule, its capacity and the retry time', async () => {
    const rules = [rule({ id: 'burst', capacity: 2, refillPerSecond: 0.5 })];
    expect(await admitted(rules, request(), 2)).toBe(2);
    expect(await limiter.check(rules, request())).toEqual({
      allowed: false,
      ruleId: 'burst',
      retryAfterMs: 2_000,
      limit: 2,
    });
    time += 2_000;
    expect((await limiter.check(rules, request())).allowed).toBe(true);
  });

  it('shares one bucket across the tenant unless the rule splits it', async () => {
    const rules = [rule({ capacity: 1 })];
    expect((await limiter.check(rules, request({ principal: 'a' }))).allowed).toBe(true);
    expect((await limiter.check(rules, request({ principal: 'b', tool: 'other' }))).allowed).toBe(false);
    expect((await limiter.check(rules, request({ tenant: 'globex' }))).allowed).toBe(true);
  });

  it('gives each agent its own bucket when per includes agent', async () => {
    const rules = [rule({ per: ['agent'], capacity: 2 })];
    expect(await admitted(rules, request({ principal: 'a' }), 5)).toBe(2);
    expect(await admitted(rules, request({ principal: 'b' }), 5)).toBe(2);
  });

  it('gives each tool its own bucket when per includes tool, and each agent-tool pair with both', async () => {
    const perTool = [rule({ id: 'tool', per: ['tool'], capacity: 1 })];
    expect(await admitted(perTool, request({ tool: 'search' }), 3)).toBe(1);
    expect(await admitted(perTool, request({ tool: 'fetch', principal: 'other' }), 3)).toBe(1);
    const perPair = [rule({ id: 'pair', per: ['agent', 'tool'], capacity: 1 })];
    expect(await admitted(perPair, request({ principal: 'a', tool: 'x' }), 2)).toBe(1);
    expect(await admitted(perPair, request({ principal: 'a', tool: 'y' }), 2)).toBe(1);
    expect(await admitted(perPair, request({ principal: 'b', tool: 'x' }), 2)).toBe(1);
  });

  it('counts only the methods and tools a rule names', async () => {
    const rules = [rule({ methods: ['tools/call'], tools: ['search'], capacity: 1 })];
    expect(await admitted(rules, request({ method: 'tools/list', tool: undefined }), 5)).toBe(5);
    expect(await admitted(rules, request({ tool: 'fetch' }), 5)).toBe(5);
    expect(await admitted(rules, request({ tool: 'search' }), 5)).toBe(1);
  });

  it('reports the first refusing rule and charges no other rule for a refused request', async () => {
    const perAgent = rule({ id: 'per-agent', per: ['agent'], capacity: 10, refillPerSecond: 1 });
    const searchQuota = rule({ id: 'search-quota', tools: ['search'], capacity: 1, refillPerSecond: 0.1 });
    const rules = [perAgent, searchQuota];
    expect((await limiter.check(rules, request())).allowed).toBe(true);
    for (let i = 0; i < 5; i++) {
      expect(await limiter.check(rules, request())).toEqual({
        allowed: false,
        ruleId: 'search-quota',
        retryAfterMs: 10_000,
        limit: 1,
      });
    }
    // The five refused searches left per-agent untouched: 9 of its 10 tokens remain.
    expect(await admitted(rules, request({ tool: 'fetch' }), 20)).toBe(9);
  });
});

describe('ruleApplies', () => {
  it('applies a rule without filters to every request', () => {
    expect(ruleApplies(rule(), request({ method: 'ping', tool: undefined }))).toBe(true);
  });

  it('applies a tools filter only to requests naming one of those tools', () => {
    const searchOnly = rule({ tools: ['search'] });
    expect(ruleApplies(searchOnly, request({ tool: 'search' }))).toBe(true);
    expect(ruleApplies(searchOnly, request({ tool: 'fetch' }))).toBe(false);
    expect(ruleApplies(searchOnly, request({ method: 'tools/list', tool: undefined }))).toBe(false);
  });

  it('applies a methods filter by exact method', () => {
    const lists = rule({ methods: ['tools/list', 'resources/list'] });
    expect(ruleApplies(lists, request({ method: 'resources/list' }))).toBe(true);
    expect(ruleApplies(lists, request({ method: 'tools/call' }))).toBe(false);
  });
});

describe('bucketKey', () => {
  it('keys by tenant and rule, plus agent and tool as the rule splits', () => {
    expect(bucketKey(rule({ id: 'all' }), request())).toBe('{acme}:all');
    expect(bucketKey(rule({ id: 'both', per: ['agent', 'tool'] }), request())).toBe(
      '{acme}:both:a:agent-1:t:search',
    );
  });

  it('cannot be forged by separators inside names', () => {
    const perAgent = rule({ id: 'r', per: ['agent', 'tool'] });
    const forged = bucketKey(perAgent, request({ principal: 'x:t:y', tool: 'z' }));
    const honest = bucketKey(perAgent, request({ principal: 'x', tool: 'y:t:z' }));
    expect(forged).not.toBe(honest);
    expect(bucketKey(perAgent, request({ tenant: 'a}:{b' }))).toMatch(/^\{a%7D%3A%7Bb\}:/);
  });
});
