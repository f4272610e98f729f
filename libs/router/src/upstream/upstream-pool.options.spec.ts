import { defaultUpstreamPoolOptions, upstreamPoolOptions } from './upstream-pool.options';

describe('upstreamPoolOptions', () => {
  it('is the defaults without overrides', () => {
    expect(upstreamPoolOptions()).toEqual(defaultUpstreamPoolOptions);
    expect(defaultUpstreamPoolOptions.sessionIdleTimeoutMs).toBe(30 * 60_000);
  });

  it('merges nested groups field by field', () => {
    const options = upstreamPoolOptions({
      breaker: { consecutiveFailures: 2 },
      httpHealthCheck: { intervalMs: 1_000 },
    });
    expect(options.breaker).toEqual({ consecutiveFailures: 2, halfOpenAfterMs: 10_000 });
    expect(options.httpHealthCheck).toEqual({ intervalMs: 1_000, timeoutMs: 5_000, failuresToEject: 2 });
  });
});
