/** A token as its endpoint issued it: `expiresInMs` is absent when the endpoint did not say. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInMs?: number;
}

interface Entry {
  readonly token: string;
  /** When to stop using it; undefined: until the upstream refuses it. */
  readonly renewAt: number | undefined;
}

export interface AccessTokenCacheOptions {
  readonly now?: () => number;
  /** Tokens held at most; the oldest goes first (one per caller and audience for token exchange). */
  readonly capacity?: number;
}

/** A token is renewed this much before it expires: a tenth of its lifetime, at most 30 s. */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(30_000, Math.floor(lifetimeMs / 10));
}

/**
 * Access tokens by key, each kept until shortly before it expires (or, without an expiry, until
 * an upstream refuses it). Concurrent requests for a key share one trip to the token endpoint,
 * and a failed trip is not remembered.
 */
export class AccessTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly now: () => number;
  private readonly capacity: number;

  constructor(options: AccessTokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.capacity = options.capacity ?? 10_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached token of `key`, or a new one from `issue`. */
  get(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const entry = this.entries.get(key);
    if (entry && (entry.renewAt === undefined || this.now() < entry.renewAt))
      return Promise.resolve(entry.token);
    this.entries.delete(key);
    let trip = this.pending.get(key);
    if (!trip) {
      const requestedAt = this.now();
      trip = issue()
        .then((issued) => {
          this.store(key, issued, requestedAt);
          return issued.accessToken;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, trip);
    }
    return trip;
  }

  /** Drops `token` after an upstream refused it; a newer token of the key is kept. */
  invalidate(key: string, token: string): void {
    if (this.entries.get(key)?.token === token) this.entries.delete(key);
  }

  private store(key: string, issued: IssuedToken, requestedAt: number): void {
    const lifetime = issued.expiresInMs;
    // The lifetime counts from the request: the endpoint started it before the answer arrived.
    const renewAt = lifetime === undefined ? undefined : requestedAt + lifetime - renewalMarginMs(lifetime);
    this.entries.delete(key);
    this.entries.set(key, { token: issued.accessToken, renewAt });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
