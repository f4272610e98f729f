import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditRecord } from './audit-record';

/** Names the recipe below; a change to the hashed fields gets a new name and a stored version. */
export const HASH_FORMAT = 'mcp-gateway.audit.record.v1';

export type HashedRecord = Omit<AuditRecord, 'hash'>;

/**
 * The document a record's hash is taken over: every stored column, the full event included, in
 * RFC 8785 canonical JSON so that the bytes do not depend on key order or number formatting, and
 * the hash recomputed from a row read back from Postgres (jsonb reorders keys) is the same.
 * The filter columns are hashed as stored, not re-derived from the event: a row whose outcome
 * was changed with SQL must fail verification even though its event still says "ok".
 */
export function canonicalRecord(record: HashedRecord): string {
  const document = {
    format: HASH_FORMAT,
    chain: record.chain,
    seq: record.seq,
    prevHash: record.prevHash,
    kind: record.kind,
    eventId: record.eventId,
    occurredAt: record.occurredAt.toISOString(),
    recordedAt: record.recordedAt.toISOString(),
    tenant: record.tenant,
    principal: record.principal,
    server: record.server,
    target: record.target,
    method: record.method,
    decision: record.decision,
    outcome: record.outcome,
    sessionId: record.sessionId,
    traceId: record.traceId,
    event: record.event,
  };
  const text = canonicalize(document);
  if (text === undefined) throw new Error(`audit record ${record.eventId} has no JSON form`);
  return text;
}

/** SHA-256 of the canonical record, hex encoded. */
export function hashRecord(record: HashedRecord): string {
  return createHash('sha256').update(canonicalRecord(record), 'utf8').digest('hex');
}
