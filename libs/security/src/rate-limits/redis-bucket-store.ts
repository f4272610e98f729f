import { createLogger, type Logger } from '@gateway/platform';
import { Redis } from 'ioredis';
import {
  allowedBatch,
  assertTakeable,
  type BucketBatchTake,
  type BucketSpec,
  type BucketStore,
  type BucketTake,
} from './bucket-store';
import { tokenBucketScript, tokenBucketScriptSha, type TokenBucketReply } from './token-bucket.script';

/** What a take does while Redis cannot answer: let the call through, or refuse it for a second. */
export type RateLimitFailMode = 'open' | 'closed';

export interface RedisBucketStoreOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  readonly failMode: RateLimitFailMode;
  /** Per command: a slow or dead Redis costs a call at most this long. */
  readonly commandTimeoutMs: number;
  readonly keyPrefix?: string;
  /** Shown by CLIENT LIST, so an operator can tell the gateway's connections apart. */
  readonly connectionName?: string;
  readonly logger?: Logger;
}

export const rateLimitKeyPrefix = 'mgw:rl:';
/** The retry a fail-closed refusal asks for: Redis is usually back, or failed over, by then. */
export const failClosedRetryMs = 1_000;
const failureLogIntervalMs = 10_000;
/** Not even queued: the client knows the connection is down and is waiting to reconnect. */
const disconnected = new Set(['reconnecting', 'close', 'end']);

/**
 * Buckets shared by every ingress process through one Redis. Each request is one EVALSHA of a
 * script that refills and takes atomically on Redis' clock; the script is loaded on every
 * (re)connect and again if Redis answers NOSCRIPT (a restart or SCRIPT FLUSH).
 */
export class RedisBucketStore implements BucketStore {
  private readonly redis: Redis;
  private readonly failMode: RateLimitFailMode;
  private readonly keyPrefix: string;
  private readonly logger: Logger;
  private failuresSinceLog = 0;
  private lastFailureLog = Number.NEGATIVE_INFINITY;
  private failing = false;

  constructor(options: RedisBucketStoreOptions) {
    this.failMode = options.failMode;
    this.keyPrefix = options.keyPrefix ?? rateLimitKeyPrefix;
    this.logger = options.logger ?? createLogger('rate-limits');
    this.redis = new Redis(options.url, {
      connectionName: options.connectionName ?? 'mgw-rate-limits',
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: Math.max(1_000, options.commandTimeoutMs * 5),
      // How long close() lets a broken socket linger before destroying it.
      disconnectTimeout: options.commandTimeoutMs,
      // A take that may have run must not run twice: no resend, no retry of a failed command.
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    });
    this.redis.on('error', (error: Error) => this.recordFailure(error));
    this.redis.on('ready', () => this.onReady());
  }

  async take(key: string, capacity: number, refillPerSecond: number, cost: number): Promise<BucketTake> {
    assertTakeable(capacity, refillPerSecond, cost);
    const reply = await this.evaluate([this.keyPrefix + key], [capacity, refillPerSecond, cost]);
    if (!reply) {
      return this.failMode === 'open'
        ? { allowed: true, remaining: capacity, retryAfterMs: 0 }
        : { allowed: false, remaining: 0, retryAfterMs: failClosedRetryMs };
    }
    const [allowed, , retryAfterMs, remaining] = reply;
    return { allowed: allowed === 1, remaining, retryAfterMs };
  }

  async takeAll(specs: readonly BucketSpec[]): Promise<BucketBatchTake> {
    if (specs.length === 0) return allowedBatch;
    const keys: string[] = [];
    const args: number[] = [];
    for (const { key, capacity, refillPerSecond, cost } of specs) {
      assertTakeable(capacity, refillPerSecond, cost);
      keys.push(this.keyPrefix + key);
      args.push(capacity, refillPerSecond, cost);
    }
    const reply = await this.evaluate(keys, args);
    if (!reply) {
      return this.failMode === 'open'
        ? allowedBatch
        : { allowed: false, refused: 0, retryAfterMs: failClosedRetryMs };
    }
    const [allowed, refused, retryAfterMs] = reply;
    return allowed === 1 ? allowedBatch : { allowed: false, refused: refused - 1, retryAfterMs };
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  /** The script's reply, or undefined when Redis could not give one (the fail mode decides). */
  private async evaluate(keys: string[], args: number[]): Promise<TokenBucketReply | undefined> {
    if (disconnected.has(this.redis.status)) {
      this.recordFailure(new Error(`Redis connection is ${this.redis.status}`));
      return undefined;
    }
    try {
      const reply = await this.evalsha(keys, args).catch(async (error: unknown) => {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        await this.redis.script('LOAD', tokenBucketScript);
        return this.evalsha(keys, args);
      });
      if (this.failing) this.recovered();
      return reply;
    } catch (error) {
      this.recordFailure(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }

  private async evalsha(keys: string[], args: number[]): Promise<TokenBucketReply> {
    return (await this.redis.evalsha(
      tokenBucketScriptSha,
      keys.length,
      ...keys,
      ...args,
    )) as TokenBucketReply;
  }

  private onReady(): void {
    this.redis.script('LOAD', tokenBucketScript).catch((error: unknown) => {
      this.recordFailure(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /** One line per interval at most: a dead Redis under load must not flood the log. */
  private recordFailure(error: Error): void {
    this.failing = true;
    this.failuresSinceLog++;
    const now = Date.now();
    if (now - this.lastFailureLog < failureLogIntervalMs) return;
    this.logger.warn(
      { err: error.message, failMode: this.failMode, failures: this.failuresSinceLog },
      this.failMode === 'open'
        ? 'rate-limit store unavailable: calls are let through unlimited'
        : 'rate-limit store unavailable: calls are refused',
    );
    this.lastFailureLog = now;
    this.failuresSinceLog = 0;
  }

  private recovered(): void {
    this.failing = false;
    this.failuresSinceLog = 0;
    this.lastFailureLog = Number.NEGATIVE_INFINITY;
    this.logger.info('rate-limit store reachable again');
  }
}
