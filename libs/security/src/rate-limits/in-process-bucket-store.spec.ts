import pino from 'pino';
import { InProcessBucketStore } from './in-process-bucket-store';

/** A clock the test moves by hand, so refill is exact and nothing sleeps. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

const logger = pino({ level: 'silent' });

describe('InProcessBucketStore', () => {
  let clock: ReturnType<typeof manualClock>;
  let store: InProcessBucketStore;

  beforeEach(() => {
    clock = manualClock();
    store = new InProcessBucketStore({ now: clock.now, logger });
  });

  afterEach(() => store.close());

  it('allows a full burst of capacity at once, then refuses', async () => {
    const takes = [];
    for (let i = 0; i < 4; i++) takes.push(await store.take('k', 3, 1, 1));
    expect(takes.map((take) => take.allowed)).toEqual([true, true, true, false]);
    expect(takes.map((take) => take.remaining)).toEqual([2, 1, 0, 0]);
  });

  it('says how long until a token is back, and allows exactly then', async () => {
    await store.take('k', 2, 2, 1);
    await store.take('k', 2, 2, 1);
    expect(await store.take('k', 2, 2, 1)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500 });
    clock.advance(499);
    expect(await store.take('k', 2, 2, 1)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1 });
    clock.advance(1);
    expect(await store.take('k', 2, 2, 1)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('counts a slow quota in seconds: one token per four seconds', async () => {
    await store.take('quota', 1, 0.25, 1);
    expect((await store.take('quota', 1, 0.25, 1)).retryAfterMs).toBe(4_000);
  });

  it('refills continuously but never above capacity', async () => {
    for (let i = 0; i < 3; i++) await store.take('k', 3, 10, 1);
    clock.advance(150);
    expect(await store.take('k', 3, 10, 1)).toMatchObject({ allowed: true, remaining: 0 });
    clock.advance(60_000);
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push((await store.take('k', 3, 10, 1)).allowed);
    expect(burst).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per key', async () => {
    await store.take('agent-a', 1, 1, 1);
    expect((await store.take('agent-a', 1, 1, 1)).allowed).toBe(false);
    expect((await store.take('agent-b', 1, 1, 1)).allowed).toBe(true);
  });

  it('takes from several buckets all at once, or from none when one is empty', async () => {
    await store.take('empty', 1, 1, 1);
    const spec = (key: string) => ({ key, capacity: 2, refillPerSecond: 1, cost: 1 });
    expect(
      await store.takeAll([spec('fresh'), { key: 'empty', capacity: 1, refillPerSecond: 1, cost: 1 }]),
    ).toEqual({ allowed: false, refused: 1, retryAfterMs: 1_000 });
    // The refused request cost 'fresh' nothing: both of its tokens are still there.
    expect(await store.take('fresh', 2, 1, 1)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await store.takeAll([spec('fresh'), spec('other')])).toEqual({ allowed: true });
    expect((await store.take('fresh', 2, 1, 1)).allowed).toBe(false);
  });

  it('forgets buckets that are full again, and keeps partly used ones', async () => {
    const sweeping = new InProcessBucketStore({ now: clock.now, logger, maxBuckets: 3 });
    await sweeping.take('slow', 5, 1, 1);
    await sweeping.take('fast-1', 5, 1_000, 1);
    await sweeping.take('fast-2', 5, 1_000, 1);
    clock.advance(10);
    // Room for a fourth bucket comes from the two that refilled, not from 'slow'.
    await sweeping.take('new', 5, 1, 1);
    expect(sweeping.size).toBe(2);
    expect(await sweeping.take('slow', 5, 1, 1)).toMatchObject({ allowed: true, remaining: 3 });
    await sweeping.close();
  });

  it('stays within maxBuckets under a flood of distinct keys, dropping the oldest', async () => {
    const bounded = new InProcessBucketStore({ now: clock.now, logger, maxBuckets: 10 });
    for (let i = 0; i < 100; i++) await bounded.take(`agent-${i}`, 1, 0.001, 1);
    expect(bounded.size).toBeLessThanOrEqual(10);
    expect((await bounded.take('agent-99', 1, 0.001, 1)).allowed).toBe(false);
    expect((await bounded.take('agent-0', 1, 0.001, 1)).allowed).toBe(true);
    await bounded.close();
  });

  it('rejects a take that could never succeed', async () => {
    expect(() => store.take('k', 1, 1, 2)).toThrow(RangeError);
    expect(() => store.take('k', 1, 0, 1)).toThrow(RangeError);
  });
});
