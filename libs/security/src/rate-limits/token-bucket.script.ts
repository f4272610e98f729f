import { createHash } from 'node:crypto';
import { tokenEpsilon } from './bucket-store';

/**
 * Refills and takes from every bucket of one request in one atomic step.
 *
 * KEYS: the buckets. ARGV: capacity, refill per second and cost for each key, in order.
 * Returns {allowed (1|0), refused bucket (1-based, 0 when allowed), retry after ms, whole tokens
 * left in the first bucket (allowed) or in the refused one}.
 *
 * Time is Redis' own clock (TIME), never the caller's, so ingress hosts with skewed clocks share
 * one timeline. A bucket expires once it would be full again: a missing key reads as full, so
 * nothing is lost and idle buckets cost no memory. Redis >= 5 replicates the script's effects,
 * which is what makes calling TIME before a write allowed.
 */
export const tokenBucketScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local epsilon = ${tokenEpsilon}
local levels = {}
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[i * 3 - 2])
  local rate = tonumber(ARGV[i * 3 - 1])
  local cost = tonumber(ARGV[i * 3])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local tokens = capacity
  if state[1] and state[2] then
    local elapsed = math.max(0, now - tonumber(state[2]))
    tokens = math.min(capacity, tonumber(state[1]) + elapsed * rate / 1000)
  end
  if tokens + epsilon < cost then
    local retry = math.max(1, math.ceil((cost - tokens) * 1000 / rate - epsilon))
    return {0, i, retry, math.floor(tokens)}
  end
  levels[i] = math.max(0, tokens - cost)
end
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[i * 3 - 2])
  local rate = tonumber(ARGV[i * 3 - 1])
  redis.call('HSET', KEYS[i], 'tokens', levels[i], 'at', now)
  redis.call('PEXPIRE', KEYS[i], math.max(1, math.ceil((capacity - levels[i]) * 1000 / rate)))
end
return {1, 0, 0, math.floor(levels[1])}
`;

export const tokenBucketScriptSha = createHash('sha1').update(tokenBucketScript).digest('hex');

/** The script's reply: [allowed, refused (1-based), retryAfterMs, remaining]. */
export type TokenBucketReply = [number, number, number, number];
