import {
  BrokenCircuitError,
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { UpstreamCancelledError, UpstreamTimeoutError, UpstreamUnavailableError } from './upstream-errors';
import type { UpstreamPoolOptions } from './upstream-pool.options';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

const breakerStates: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** Failures that say the upstream is in trouble (not the caller, not the upstream's own answer). */
function isUpstreamFailure(error: Error): boolean {
  return error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError;
}

/**
 * The resilience policy of one upstream server: a circuit breaker that opens after consecutive
 * failures (unavailable or timed out; an upstream answering with a JSON-RPC error is working) and
 * lets one probe call through after `halfOpenAfterMs`; and, for idempotent calls only, bounded
 * retries with exponential backoff after an unavailable upstream (a timed-out call is not retried:
 * the caller's deadline has passed).
 */
export class UpstreamCallPolicy {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retrying: IPolicy;

  constructor(
    private readonly server: string,
    private readonly options: Pick<UpstreamPoolOptions, 'breaker' | 'retry'>,
  ) {
    this.breaker = circuitBreaker(handleWhen(isUpstreamFailure), {
      halfOpenAfter: options.breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breaker.consecutiveFailures),
    });
    const retries = retry(
      handleWhen((error) => error instanceof UpstreamUnavailableError),
      {
        maxAttempts: options.retry.maxAttempts,
        backoff: new ExponentialBackoff({
          initialDelay: options.retry.initialDelayMs,
          maxDelay: options.retry.maxDelayMs,
        }),
      },
    );
    this.retrying = wrap(retries, this.breaker);
  }

  get breakerState(): BreakerState {
    return breakerStates[this.breaker.state];
  }

  async execute<T>(
    call: { idempotent: boolean; method: string; signal?: AbortSignal },
    run: () => Promise<T>,
  ): Promise<T> {
    const policy = call.idempotent ? this.retrying : this.breaker;
    try {
      return await policy.execute(() => run(), call.signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new UpstreamUnavailableError(
          this.server,
          `its circuit breaker is open after ${this.options.breaker.consecutiveFailures} consecutive failures; ` +
            'calls fail at once until a probe call succeeds',
          { breaker: this.breakerState },
        );
      }
      if (error instanceof TaskCancelledError) throw new UpstreamCancelledError(this.server, call.method);
      throw error;
    }
  }
}
