import { AccessTokenCache, type IssuedToken, renewalMarginMs } from './access-token.cache';

/** A token endpoint stand-in that counts what it issues (no I/O: the cache is what is tested). */
function issuer(expiresInMs?: number): { issue: () => Promise<IssuedToken>; count: () => number } {
  let issued = 0;
  return {
    issue: async () => {
      issued += 1;
      return { accessToken: `token-${issued}`, ...(expiresInMs !== undefined && { expiresInMs }) };
    },
    count: () => issued,
  };
}

describe('AccessTokenCache', () => {
  let now = 1_000_000;
  const clock = (): number => now;

  it('keeps a token until shortly before it expires, then gets a new one', async () => {
    const cache = new AccessTokenCache({ now: clock });
    const endpoint = issuer(60_000);
    const renewAt = now + 60_000 - renewalMarginMs(60_000);
    expect(await cache.get('gateway', endpoint.issue)).toBe('token-1');
    now = renewAt - 1;
    expect(await cache.get('gateway', endpoint.issue)).toBe('token-1');
    now = renewAt;
    expect(await cache.get('gateway', endpoint.issue)).toBe('token-2');
    expect(endpoint.count()).toBe(2);
  });

  it('renews a tenth of the lifetime early, never more than 30 s', () => {
    expect(renewalMarginMs(60_000)).toBe(6_000);
    expect(renewalMarginMs(3_600_000)).toBe(30_000);
  });

  it('keeps a token without an expiry until it is refused, and drops only the refused one', async () => {
    const cache = new AccessTokenCache({ now: clock });
    const endpoint = issuer();
    expect(await cache.get('gateway', endpoint.issue)).toBe('token-1');
    now += 24 * 3_600_000;
    expect(await cache.get('gateway', endpoint.issue)).toBe('token-1');
    cache.invalidate('gateway', 'token-1');
    expect(await cache.get('gateway', endpoint.issue)).toBe('token-2');
    cache.invalidate('gateway', 'token-1');
    expect(await cache.get('gateway', endpoint.issue)).toBe('token-2');
  });

  it('shares one trip to the endpoint between concurrent requests, per key', async () => {
    const cache = new AccessTokenCache({ now: clock });
    const endpoint = issuer(60_000);
    const tokens = await Promise.all([
      cache.get('alice', endpoint.issue),
      cache.get('alice', endpoint.issue),
      cache.get('bob', endpoint.issue),
    ]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-2']);
    expect(endpoint.count()).toBe(2);
  });

  it('remembers no failure: the next request asks again', async () => {
    const cache = new AccessTokenCache({ now: clock });
    await expect(cache.get('gateway', () => Promise.reject(new Error('endpoint down')))).rejects.toThrow(
      'endpoint down',
    );
    expect(await cache.get('gateway', issuer(60_000).issue)).toBe('token-1');
  });

  it('holds at most its capacity, dropping the oldest', async () => {
    const cache = new AccessTokenCache({ now: clock, capacity: 2 });
    const endpoint = issuer(60_000);
    for (const key of ['a', 'b', 'c']) await cache.get(key, endpoint.issue);
    expect(cache.size).toBe(2);
    expect(await cache.get('b', endpoint.issue)).toBe('token-2');
    expect(await cache.get('a', endpoint.issue)).toBe('token-4');
  });
});
