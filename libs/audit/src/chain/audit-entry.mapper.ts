import type { AdminChangeValue, CallEventValue, SecurityEventValue } from '@gateway/contracts';
import type { AuditColumns, AuditEntry, AuditKind } from './audit-record';

/*
 * Chains. Calls and security events of a tenant share one chain, so a tenant's trail is proven
 * (and exported) on its own and tenants never wait on each other's chain head. Admin changes carry
 * no tenant: servers, policies and keys are gateway-wide, so they form the one "admin" chain,
 * which is low-volume and therefore cheap to serialise. Tenant chains are prefixed so that no
 * tenant name can collide with it.
 */
export const ADMIN_CHAIN = 'admin';

export function tenantChain(tenant: string): string {
  return `tenant:${tenant}`;
}

const noColumns: AuditColumns = {
  tenant: null,
  principal: null,
  server: null,
  target: null,
  method: null,
  decision: null,
  outcome: null,
  sessionId: null,
  traceId: null,
};

export function callEntry(event: CallEventValue): AuditEntry {
  return entry('call', tenantChain(event.tenant), event, {
    tenant: event.tenant,
    principal: event.principal,
    server: event.server ?? null,
    target: event.target ?? null,
    method: event.method,
    decision: event.decision,
    outcome: event.outcome,
    sessionId: event.sessionId,
    traceId: event.traceId ?? null,
  });
}

/** The security event's own kind (e.g. "rate-limited") is its outcome; all but guardrail hits deny. */
export function securityEntry(event: SecurityEventValue): AuditEntry {
  return entry('security', tenantChain(event.tenant), event, {
    ...noColumns,
    tenant: event.tenant,
    principal: event.principal ?? null,
    target: event.target ?? null,
    method: event.method ?? null,
    decision: event.kind === 'guardrail' ? null : 'deny',
    outcome: event.kind,
    traceId: event.traceId ?? null,
  });
}

/** method reads "<entity type>.<action>", e.g. "policy.updated"; target is the entity id. */
export function adminChangeEntry(change: AdminChangeValue): AuditEntry {
  const isServer = change.entityType === 'server' || change.entityType === 'virtual-server';
  return entry('admin', ADMIN_CHAIN, change, {
    ...noColumns,
    principal: change.actor,
    server: isServer ? change.entityId : null,
    target: change.entityId,
    method: `${change.entityType}.${change.action}`,
  });
}

/**
 * Postgres text and jsonb cannot hold U+0000. An event carrying one (it passes the contract) would
 * fail every insert and, redelivered forever, stall its partition; it is stored with U+FFFD in
 * its place instead, and the hash covers what is stored.
 */
function storable<Value>(value: Value): Value {
  return (typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value) as Value;
}

function entry(
  kind: AuditKind,
  chain: string,
  event: { readonly eventId: string; readonly occurredAt: string },
  columns: AuditColumns,
): AuditEntry {
  const storedColumns = Object.fromEntries(
    Object.entries(columns).map(([name, value]) => [name, storable(value)]),
  ) as unknown as AuditColumns;
  return {
    kind,
    chain: storable(chain),
    eventId: event.eventId.toLowerCase(),
    occurredAt: new Date(event.occurredAt),
    // The JSON form is what jsonb stores and gives back, so what is hashed now is what is read later.
    event: JSON.parse(JSON.stringify(event), (_key, value: unknown) => storable(value)) as Record<
      string,
      unknown
    >,
    ...storedColumns,
  };
}
