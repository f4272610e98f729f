/** Active health checks of one server (a definition's own `healthCheck` overrides interval and timeout). */
export interface HealthCheckOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failed checks that take a replica out of rotation; one success brings it back. */
  readonly failuresToEject: number;
}

/**
 * Pool-level settings of the upstream layer, with defaults. Router config maps environment
 * variables onto these (see the README's table); tests pass their own.
 */
export interface UpstreamPoolOptions {
  /** A per-client upstream session unused this long is closed (its downstream session may be gone). */
  readonly sessionIdleTimeoutMs: number;
  /** Health checks of HTTP transports (streamable-http, sse, websocket) when a definition sets none; stdio has none by default. */
  readonly httpHealthCheck: HealthCheckOptions;
  /** Per server: this many consecutive failures (unavailable or timed out) open the breaker for `halfOpenAfterMs`. */
  readonly breaker: { readonly consecutiveFailures: number; readonly halfOpenAfterMs: number };
  /** Idempotent calls only: retries after an unavailable upstream, with exponential backoff. */
  readonly retry: {
    readonly maxAttempts: number;
    readonly initialDelayMs: number;
    readonly maxDelayMs: number;
  };
  /** Bound on input_required rounds resolved for a 2025-era caller of a 2026-07-28 upstream. */
  readonly maxInputRequiredRounds: number;
  /** A remembered legacy era verdict older than this is probed again at the next connect. */
  readonly eraVerdictMaxAgeMs: number;
  /** The undici Agent of each HTTP server: idle keep-alive and pooled connections per origin. */
  readonly http: { readonly keepAliveTimeoutMs: number; readonly connectionsPerOrigin: number };
  /**
   * What shared sessions (stdio by default, and stateless calls) declare: the gateway relays
   * these to whichever downstream client the request or session listener reaches.
   */
  readonly sharedSessionCapabilities: Record<string, unknown>;
}

export const defaultUpstreamPoolOptions: UpstreamPoolOptions = {
  sessionIdleTimeoutMs: 30 * 60_000,
  httpHealthCheck: { intervalMs: 15_000, timeoutMs: 5_000, failuresToEject: 2 },
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
  retry: { maxAttempts: 2, initialDelayMs: 100, maxDelayMs: 2_000 },
  maxInputRequiredRounds: 8,
  eraVerdictMaxAgeMs: 60 * 60_000,
  http: { keepAliveTimeoutMs: 30_000, connectionsPerOrigin: 64 },
  sharedSessionCapabilities: { sampling: {}, elicitation: {}, roots: {} },
};

type Overrides<T> = { readonly [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

export type UpstreamPoolOverrides = Overrides<UpstreamPoolOptions>;

/** The defaults with the given values over them (nested groups merged field by field). */
export function upstreamPoolOptions(overrides: UpstreamPoolOverrides = {}): UpstreamPoolOptions {
  const base = defaultUpstreamPoolOptions;
  return {
    sessionIdleTimeoutMs: overrides.sessionIdleTimeoutMs ?? base.sessionIdleTimeoutMs,
    httpHealthCheck: { ...base.httpHealthCheck, ...overrides.httpHealthCheck },
    breaker: { ...base.breaker, ...overrides.breaker },
    retry: { ...base.retry, ...overrides.retry },
    maxInputRequiredRounds: overrides.maxInputRequiredRounds ?? base.maxInputRequiredRounds,
    eraVerdictMaxAgeMs: overrides.eraVerdictMaxAgeMs ?? base.eraVerdictMaxAgeMs,
    http: { ...base.http, ...overrides.http },
    sharedSessionCapabilities: overrides.sharedSessionCapabilities ?? base.sharedSessionCapabilities,
  };
}

/** Nest token for the overrides (optional: without it the pool uses the defaults). */
export const UPSTREAM_POOL_OPTIONS = Symbol('UPSTREAM_POOL_OPTIONS');
