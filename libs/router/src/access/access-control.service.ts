import { Injectable } from '@nestjs/common';
import type { RouterApi } from '@gateway/contracts';
import { GatewayError, JsonRpcErrorCode } from '@gateway/mcp';
import {
  type DecisionContext,
  maskingFor,
  maskValue,
  PolicyBundleDirectory,
  type PolicyEngine,
  type PolicyResource,
  type Principal,
  SecurityEventPublisher,
} from '@gateway/security';

/** The principal a router decides for, as ingress verified it (the caller carries no credential). */
export function principalOfCaller(caller: RouterApi.Caller | undefined): Principal {
  if (!caller?.principal) {
    throw new GatewayError(JsonRpcErrorCode.accessDenied, 'the request carries no verified identity');
  }
  return {
    id: caller.principal,
    tenant: caller.tenant,
    kind: (caller.kind || 'agent') as Principal['kind'],
    roles: caller.roles,
    teams: caller.teams,
    scopes: caller.scopes,
    credentialId: caller.credentialId,
    credential: caller.subjectToken ? 'jwt' : 'api-key',
  };
}

export type ListedKind = 'tool' | 'resource' | 'prompt';

/** How long a list decision is remembered; see AccessControl.listFilter. */
const listDecisionWindowMs = 30_000;
/** Past this many remembered decisions per engine, the memo starts over. */
const maxListDecisions = 100_000;

/**
 * The policy enforcement point of the data plane, where exposed names have resolved to an
 * upstream server and its own name for the item: Cedar decides with the tenant's bundle (kept in
 * memory from the bundles topic), a denied item vanishes from lists, a denied request gets a
 * JSON-RPC error, and the tenant's guardrails mask arguments and results per server.
 */
@Injectable()
export class AccessControl {
  private readonly listDecisions = new WeakMap<
    PolicyEngine,
    { readonly window: number; readonly decisions: Map<string, boolean> }
  >();

  constructor(
    private readonly bundles: PolicyBundleDirectory,
    private readonly events: SecurityEventPublisher,
  ) {}

  /** Throws the JSON-RPC error the agent gets when policy denies the request. */
  authorize(
    caller: RouterApi.Caller | undefined,
    action: string,
    resource: PolicyResource,
    context: DecisionContext,
  ): void {
    const principal = principalOfCaller(caller);
    const engine = this.bundles.engineFor(principal.tenant);
    const decision = engine
      ? engine.decide({ principal, action, resource, context })
      : {
          decision: 'deny' as const,
          policyIds: [],
          reason: `tenant "${principal.tenant}" has no policy bundle`,
          errors: [],
        };
    if (decision.decision === 'allow') return;
    this.events.publish({
      kind: 'access-denied',
      tenant: principal.tenant,
      principal: principal.id,
      method: action,
      server: resource.server,
      target: resource.name,
      reason: decision.reason,
      clientAddress: caller?.clientAddress || undefined,
      credentialId: principal.credentialId || undefined,
      action: 'rejected',
    });
    throw new GatewayError(
      JsonRpcErrorCode.accessDenied,
      `Access denied: ${principal.id} may not ${action} ${resource.kind} "${resource.name}" of "${resource.server}"`,
      { policyIds: decision.policyIds },
    );
  }

  /**
   * A predicate for the items of a list: false for what the principal may never use. A list of
   * a thousand tools is two Cedar evaluations per tool, so the answers are remembered per bundle
   * revision (a new bundle is a new engine), principal, address and view, for a window of
   * listDecisionWindowMs: time conditions take effect on lists within that window, and calls are
   * always decided afresh.
   */
  listFilter(
    caller: RouterApi.Caller | undefined,
    context: Omit<DecisionContext, 'arguments'>,
  ): (kind: ListedKind, server: string, name: string) => boolean {
    const principal = principalOfCaller(caller);
    const engine = this.bundles.engineFor(principal.tenant);
    if (!engine) return () => false;
    const window = Math.floor(Date.now() / listDecisionWindowMs);
    let memo = this.listDecisions.get(engine);
    if (!memo || memo.window !== window || memo.decisions.size >= maxListDecisions) {
      memo = { window, decisions: new Map() };
      this.listDecisions.set(engine, memo);
    }
    const { decisions } = memo;
    const who = [
      principal.id,
      principal.roles.join(','),
      principal.teams.join(','),
      context.clientAddress,
      context.view,
    ];
    const prefix = `${who.join('\u0000')}\u0000`;
    return (kind, server, name) => {
      const key = `${prefix}${kind}\u0000${server}\u0000${name}`;
      let listable = decisions.get(key);
      if (listable === undefined) {
        listable = engine.listable({ principal, resource: { kind, server, name }, context });
        decisions.set(key, listable);
      }
      return listable;
    };
  }

  /**
   * Masks what the tenant's guardrails say must not pass to this server (arguments) or back to
   * the agent (results); every masking is a security event naming what was found, never the value.
   */
  mask(
    caller: RouterApi.Caller | undefined,
    server: string,
    direction: 'arguments' | 'results',
    value: unknown,
    target: string,
  ): unknown {
    if (!caller?.tenant || value === undefined) return value;
    const masking = maskingFor(this.bundles.bundleOf(caller.tenant)?.guardrails, server);
    if (!masking?.[direction] || masking.detectors.length === 0) return value;
    const masked = maskValue(value, masking.detectors);
    if (masked.findings.length > 0) {
      this.events.publish({
        kind: 'guardrail',
        tenant: caller.tenant,
        principal: caller.principal,
        method: 'tools/call',
        server,
        target,
        reason: `masked in ${direction}: ${masked.findings.map((finding) => `${finding.count} ${finding.detector} at ${finding.path}`).join(', ')}`,
        clientAddress: caller.clientAddress || undefined,
        action: 'masked',
      });
    }
    return masked.value;
  }
}
