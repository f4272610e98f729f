/*
 * When signing keys are made, sign, retire and are forgotten. A key signs from the retirement of
 * the key before it until its own `retiresAt`; it is made (and published) a lead time before it
 * starts signing, so verifiers hold it before the first token it signs reaches them. After it
 * retires it stays verifiable for one token lifetime, the longest any token it signed can live.
 */

export interface KeySchedule {
  readonly kid: string;
  readonly createdAt: Date;
  readonly retiresAt: Date;
  readonly expiresAt: Date;
}

export interface RotationTimings {
  readonly rotationMs: number;
  readonly tokenTtlMs: number;
}

export interface NewKeyTimes {
  readonly createdAt: Date;
  readonly retiresAt: Date;
  readonly expiresAt: Date;
}

export interface RotationPlan<Key extends KeySchedule = KeySchedule> {
  /** Times of the key to make now, if one is due. */
  readonly create?: NewKeyTimes;
  /** Keys retired early (a forced rotation), with their new times. */
  readonly retire: readonly Key[];
  /** Keys no token can still need: delete them and publish their tombstones. */
  readonly drop: readonly string[];
}

const maxLeadMs = 10 * 60_000;

/** How long before it signs a key is made: half a rotation period, at most ten minutes. */
export function leadTimeMs(rotationMs: number): number {
  return Math.min(Math.floor(rotationMs / 2), maxLeadMs);
}

function at(time: number): Date {
  return new Date(time);
}

function latestRetiring(keys: readonly KeySchedule[]): KeySchedule | undefined {
  return keys.reduce<KeySchedule | undefined>(
    (latest, key) => (!latest || key.retiresAt > latest.retiresAt ? key : latest),
    undefined,
  );
}

/** What to change now. `force` retires every key at once (an admin rotation, e.g. after a leak). */
export function planRotation<Key extends KeySchedule>(
  keys: readonly Key[],
  now: Date,
  timings: RotationTimings,
  force = false,
): RotationPlan<Key> {
  const drop = keys.filter((key) => key.expiresAt <= now).map((key) => key.kid);
  const live = keys.filter((key) => key.expiresAt > now);
  const { rotationMs, tokenTtlMs } = timings;
  const startingNow = (): NewKeyTimes => ({
    createdAt: now,
    retiresAt: at(now.getTime() + rotationMs),
    expiresAt: at(now.getTime() + rotationMs + tokenTtlMs),
  });
  if (force) {
    const retire = live
      .filter((key) => key.retiresAt > now)
      .map((key) => ({
        ...key,
        retiresAt: now,
        expiresAt: at(Math.min(key.expiresAt.getTime(), now.getTime() + tokenTtlMs)),
      }));
    return { create: startingNow(), retire, drop };
  }
  const latest = latestRetiring(live);
  if (!latest || latest.retiresAt <= now) return { create: startingNow(), retire: [], drop };
  if (latest.retiresAt.getTime() - now.getTime() <= leadTimeMs(rotationMs)) {
    const startsAt = latest.retiresAt.getTime();
    const create = {
      createdAt: now,
      retiresAt: at(startsAt + rotationMs),
      expiresAt: at(startsAt + rotationMs + tokenTtlMs),
    };
    return { create, retire: [], drop };
  }
  return { retire: [], drop };
}

/** The key that signs at `now`: of those in force, the one that retires first. */
export function signerAt<Key extends KeySchedule>(keys: readonly Key[], now: Date): Key | undefined {
  return keys
    .filter((key) => key.createdAt <= now && key.retiresAt > now && key.expiresAt > now)
    .reduce<Key | undefined>(
      (first, key) => (!first || key.retiresAt < first.retiresAt ? key : first),
      undefined,
    );
}

/** The keys a verifier may need at `now`: every key not yet expired. */
export function liveAt<Key extends KeySchedule>(keys: readonly Key[], now: Date): Key[] {
  return keys.filter((key) => key.expiresAt > now);
}

/**
 * When the plan next has something to do for these keys (after applying the current plan): the
 * newest key's lead point, or a key's expiry. A lead point already past (a review ran late) is due now.
 */
export function nextReviewAt(keys: readonly KeySchedule[], now: Date, timings: RotationTimings): Date {
  const live = liveAt(keys, now);
  const latest = latestRetiring(live);
  const candidates = live.map((key) => key.expiresAt.getTime());
  if (latest) candidates.push(latest.retiresAt.getTime() - leadTimeMs(timings.rotationMs));
  return at(candidates.length > 0 ? Math.max(now.getTime(), Math.min(...candidates)) : now.getTime());
}
