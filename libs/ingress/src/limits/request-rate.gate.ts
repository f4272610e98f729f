import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { GatewayError } from '@gateway/mcp';
import {
  createBucketStore,
  PolicyBundleDirectory,
  rateLimitError,
  RateLimiter,
  SecurityEventPublisher,
} from '@gateway/security';
import type { RequestIdentity } from '../auth/request-identity';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';

/**
 * The tenants' rate limits and quotas, applied to every request before it reaches a router:
 * token buckets in this process (embedded) or shared by every replica in Redis (distributed).
 * A refused request is a JSON-RPC error saying when to retry, and a security event.
 */
@Injectable()
export class RequestRateGate implements OnModuleDestroy {
  private readonly store;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly bundles: PolicyBundleDirectory,
    private readonly events: SecurityEventPublisher,
    @Inject(INGRESS_CONFIG) config: IngressConfig,
  ) {
    this.store = createBucketStore(config.rateLimits);
    this.limiter = new RateLimiter(this.store);
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }

  /** Resolves when the request may go on; throws the agent's rate-limit error when it may not. */
  async admit(
    identity: RequestIdentity,
    method: string,
    params: Record<string, unknown> | undefined,
  ): Promise<void> {
    const { principal } = identity;
    const rules = this.bundles.bundleOf(principal.tenant)?.rateLimits;
    if (!rules || rules.length === 0) return;
    const tool = method === 'tools/call' && typeof params?.['name'] === 'string' ? params['name'] : undefined;
    const verdict = await this.limiter.check(rules, {
      tenant: principal.tenant,
      principal: principal.id,
      method,
      tool,
    });
    if (verdict.allowed) return;
    const error = rateLimitError(verdict);
    this.events.publish({
      kind: 'rate-limited',
      tenant: principal.tenant,
      principal: principal.id,
      method,
      target: tool,
      reason: error.message,
      clientAddress: identity.clientAddress || undefined,
      credentialId: principal.credentialId,
      action: 'throttled',
      retryAfterMs: Math.ceil(verdict.retryAfterMs),
    });
    throw new GatewayError(error.code, error.message, error.data);
  }
}
