import { AsyncLocalStorage } from 'node:async_hooks';
import type { RouterApi } from '@gateway/contracts';
import type { Principal } from '@gateway/security';

/** A request's verified identity, and what the router may need of its credential. */
export interface RequestIdentity {
  readonly principal: Principal;
  readonly clientAddress: string;
  /** The agent's JWT, for upstreams configured for token exchange; empty for API keys. */
  readonly subjectToken: string;
}

/**
 * The identity of the HTTP request being served, for code the SDK calls back without a way to
 * pass it along (the 2026-07-28 handler creates a server per request).
 */
export const requestIdentity = new AsyncLocalStorage<RequestIdentity>();

/** The caller the router sees: the verified identity, never the credential (but the token for exchange). */
export function callerOf(identity: RequestIdentity, sessionId: string): RouterApi.Caller {
  const { principal } = identity;
  return {
    tenant: principal.tenant,
    principal: principal.id,
    sessionId,
    kind: principal.kind,
    roles: [...principal.roles],
    teams: [...principal.teams],
    scopes: [...principal.scopes],
    credentialId: principal.credentialId,
    clientAddress: identity.clientAddress,
    subjectToken: identity.subjectToken,
  };
}
