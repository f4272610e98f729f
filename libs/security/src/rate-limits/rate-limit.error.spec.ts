import { rateLimitedErrorCode, rateLimitError, retryAfterSeconds } from './rate-limit.error';

describe('rateLimitError', () => {
  const refusal = { allowed: false, ruleId: 'per-agent', retryAfterMs: 1_200, limit: 50 } as const;

  it('tells the agent which limit refused it and when to come back', () => {
    expect(rateLimitError(refusal)).toEqual({
      code: rateLimitedErrorCode,
      message: 'Rate limit "per-agent" exceeded (50 requests per burst); retry after 2 s',
      data: { retryAfterMs: 1_200, limit: 50, rule: 'per-agent' },
    });
  });

  it('uses a code outside the JSON-RPC and MCP reserved ranges', () => {
    expect(rateLimitedErrorCode < -32768 || rateLimitedErrorCode > -32000).toBe(true);
  });

  it('rounds Retry-After up to whole seconds, never to 0', () => {
    expect(retryAfterSeconds({ ...refusal, retryAfterMs: 1 })).toBe(1);
    expect(retryAfterSeconds({ ...refusal, retryAfterMs: 1_000 })).toBe(1);
    expect(retryAfterSeconds({ ...refusal, retryAfterMs: 1_001 })).toBe(2);
    expect(retryAfterSeconds({ ...refusal, retryAfterMs: 3_600_000 })).toBe(3_600);
  });
});
