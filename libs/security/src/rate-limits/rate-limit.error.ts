import type { RateLimitVerdict } from './rate-limiter';

/**
 * The JSON-RPC error code of a refused request. Not -32029 or any other code from -32000 to
 * -32099: MCP 2026-07-28 (basic, "Error Codes") reserves -32020..-32099 for codes the
 * specification defines (it defines no rate-limit code yet) and closes -32000..-32019 to new
 * codes, and asks for new codes outside -32768..-32000. 429 mirrors HTTP Too Many Requests and is
 * equally valid under the earlier, session-based revisions, which inherit plain JSON-RPC 2.0.
 */
export const rateLimitedErrorCode = 429;

export type RateLimitRefusal = Extract<RateLimitVerdict, { allowed: false }>;

export interface RateLimitErrorData {
  readonly retryAfterMs: number;
  readonly limit: number;
  readonly rule: string;
}

export interface RateLimitJsonRpcError {
  readonly code: typeof rateLimitedErrorCode;
  readonly message: string;
  readonly data: RateLimitErrorData;
}

/** Whole seconds for an HTTP Retry-After header (RFC 9110 delay-seconds), rounded up, at least 1. */
export function retryAfterSeconds(refusal: RateLimitRefusal): number {
  return Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
}

/** The error object an agent gets when a rate limit refuses its request. */
export function rateLimitError(refusal: RateLimitRefusal): RateLimitJsonRpcError {
  return {
    code: rateLimitedErrorCode,
    message: `Rate limit "${refusal.ruleId}" exceeded (${refusal.limit} requests per burst); retry after ${retryAfterSeconds(refusal)} s`,
    data: { retryAfterMs: refusal.retryAfterMs, limit: refusal.limit, rule: refusal.ruleId },
  };
}
