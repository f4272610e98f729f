import type { RateLimitRule } from '@gateway/contracts';
import type { BucketSpec, BucketStore } from './bucket-store';

/** The request a rate limit counts: who asks, in which tenant, for what. */
export interface RateLimitRequest {
  readonly tenant: string;
  /** The authenticated agent (principal id). */
  readonly principal: string;
  /** The MCP method, e.g. tools/call. */
  readonly method: string;
  /** The tool as the agent names it, for tools/call. */
  readonly tool?: string;
}

export type RateLimitVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** The rule that refused. */
      readonly ruleId: string;
      readonly retryAfterMs: number;
      /** The rule's capacity: requests a full bucket allows at once. */
      readonly limit: number;
    };

const allowed: RateLimitVerdict = Object.freeze({ allowed: true });

/** A rule counts a request when the request is of one of its methods and tools (if it names any). */
export function ruleApplies(rule: RateLimitRule, request: RateLimitRequest): boolean {
  if (rule.methods && !rule.methods.includes(request.method)) return false;
  if (rule.tools && (request.tool === undefined || !rule.tools.includes(request.tool))) return false;
  return true;
}

/**
 * The bucket a request draws from under a rule: one per tenant and rule, split per agent and/or
 * per tool as the rule says (a request without a tool shares the tool-less bucket). Parts are
 * URI-encoded so no principal or tool name can forge a separator. The tenant is a Redis Cluster
 * hash tag: all buckets of one request live in one slot, so one script can take from them all.
 */
export function bucketKey(rule: RateLimitRule, request: RateLimitRequest): string {
  let key = `{${encodeURIComponent(request.tenant)}}:${encodeURIComponent(rule.id)}`;
  if (rule.per.includes('agent')) key += `:a:${encodeURIComponent(request.principal)}`;
  if (rule.per.includes('tool')) key += `:t:${encodeURIComponent(request.tool ?? '')}`;
  return key;
}

/**
 * Applies a tenant's rate-limit rules to one request. Every matching rule takes one token, all
 * at once or none: a request refused by one rule costs nothing under the others, so a refused
 * agent's retries do not drain its other allowances. The first refusing rule, in bundle order,
 * is the one reported.
 */
export class RateLimiter {
  constructor(private readonly store: BucketStore) {}

  async check(rules: readonly RateLimitRule[], request: RateLimitRequest): Promise<RateLimitVerdict> {
    if (rules.length === 0) return allowed;
    let matching: RateLimitRule[] | undefined;
    let specs: BucketSpec[] | undefined;
    for (const rule of rules) {
      if (!ruleApplies(rule, request)) continue;
      (matching ??= []).push(rule);
      (specs ??= []).push({
        key: bucketKey(rule, request),
        capacity: rule.capacity,
        refillPerSecond: rule.refillPerSecond,
        cost: 1,
      });
    }
    if (!matching || !specs) return allowed;
    const taken = await this.store.takeAll(specs);
    if (taken.allowed) return allowed;
    const rule = matching[taken.refused]!;
    return { allowed: false, ruleId: rule.id, retryAfterMs: taken.retryAfterMs, limit: rule.capacity };
  }
}
