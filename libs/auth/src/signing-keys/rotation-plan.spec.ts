import { type KeySchedule, leadTimeMs, liveAt, nextReviewAt, planRotation, signerAt } from './rotation-plan';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const timings = { rotationMs: day, tokenTtlMs: hour };
const t0 = Date.parse('2026-11-21T00:00:00.000Z');

function at(offsetMs: number): Date {
  return new Date(t0 + offsetMs);
}

function key(kid: string, createdAt: number, retiresAt: number): KeySchedule {
  return { kid, createdAt: at(createdAt), retiresAt: at(retiresAt), expiresAt: at(retiresAt + hour) };
}

/** Applies a plan the way the service does, naming a created key `next`. */
function apply(keys: readonly KeySchedule[], now: Date, force = false): KeySchedule[] {
  const plan = planRotation(keys, now, timings, force);
  const kept = keys
    .filter((candidate) => !plan.drop.includes(candidate.kid))
    .map((candidate) => plan.retire.find((retired) => retired.kid === candidate.kid) ?? candidate);
  return plan.create ? [...kept, { kid: `next@${now.toISOString()}`, ...plan.create }] : kept;
}

describe('signing key rotation timing', () => {
  it('makes the first key at once, signing for one rotation period and verifiable a token lifetime longer', () => {
    expect(planRotation([], at(0), timings)).toEqual({
      create: { createdAt: at(0), retiresAt: at(day), expiresAt: at(day + hour) },
      retire: [],
      drop: [],
    });
  });

  it('leaves a key alone until the lead time before it retires', () => {
    const current = key('a', 0, day);
    expect(planRotation([current], at(day - leadTimeMs(day) - 1), timings)).toEqual({ retire: [], drop: [] });
  });

  it('makes the next key a lead time ahead; it signs from the moment the current one retires', () => {
    const current = key('a', 0, day);
    const now = at(day - leadTimeMs(day));
    expect(leadTimeMs(day)).toBe(10 * minute);
    const plan = planRotation([current], now, timings);
    expect(plan.create).toEqual({ createdAt: now, retiresAt: at(2 * day), expiresAt: at(2 * day + hour) });

    const keys = apply([current], now);
    expect(signerAt(keys, now)?.kid).toBe('a');
    expect(signerAt(keys, at(day - 1))?.kid).toBe('a');
    expect(signerAt(keys, at(day))?.kid).toBe(keys[1]!.kid);
    // The retired key stays verifiable until every token it signed has expired.
    expect(liveAt(keys, at(day + hour - 1)).map((live) => live.kid)).toEqual(['a', keys[1]!.kid]);
    expect(liveAt(keys, at(day + hour)).map((live) => live.kid)).toEqual([keys[1]!.kid]);
  });

  it('with a short period, leads by half of it', () => {
    expect(leadTimeMs(2_000)).toBe(1_000);
  });

  it('drops a key once it expires, and makes no second successor', () => {
    const keys = [key('a', 0, day), key('b', day - 10 * minute, 2 * day)];
    expect(planRotation(keys, at(day + hour), timings)).toEqual({ retire: [], drop: ['a'] });
  });

  it('after a downtime longer than a period, drops what expired and signs with a new key at once', () => {
    const now = at(3 * day);
    expect(planRotation([key('a', 0, day)], now, timings)).toEqual({
      create: { createdAt: now, retiresAt: at(4 * day), expiresAt: at(4 * day + hour) },
      retire: [],
      drop: ['a'],
    });
  });

  it('on a forced rotation retires every key now, keeps it verifiable a token lifetime, and signs with a new one', () => {
    const now = at(2 * hour);
    const keys = apply([key('a', 0, day)], now, true);
    expect(keys[0]).toEqual({ kid: 'a', createdAt: at(0), retiresAt: now, expiresAt: at(3 * hour) });
    expect(signerAt(keys, now)?.kid).toBe(keys[1]!.kid);
    expect(keys[1]).toMatchObject({ createdAt: now, retiresAt: at(day + 2 * hour) });
  });

  it('on a forced rotation never extends the life of a key that was to expire sooner', () => {
    const retired = key('a', -day, 0);
    const plan = planRotation([retired, key('b', -10 * minute, day)], at(30 * minute), timings, true);
    expect(plan.retire.map((retiring) => retiring.kid)).toEqual(['b']);
    expect(plan.drop).toEqual([]);
  });

  it('reviews again when the next key is due or a key expires, whichever comes first', () => {
    const current = key('a', 0, day);
    expect(nextReviewAt([current], at(hour), timings)).toEqual(at(day - leadTimeMs(day)));
    const withSuccessor = apply([current], at(day - leadTimeMs(day)));
    expect(nextReviewAt(withSuccessor, at(day), timings)).toEqual(at(day + hour));
  });

  it('reviews at once when the successor is due and was not made (a review ran late)', () => {
    const late = at(day - leadTimeMs(day) + minute);
    expect(nextReviewAt([key('a', 0, day)], late, timings)).toEqual(late);
    expect(planRotation([key('a', 0, day)], late, timings).create?.retiresAt).toEqual(at(2 * day));
  });

  it('reviews at once when there is no key at all', () => {
    expect(nextReviewAt([], at(0), timings)).toEqual(at(0));
  });
});
