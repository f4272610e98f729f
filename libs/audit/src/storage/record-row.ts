import type { AuditKind, AuditRecord } from '../chain/audit-record';

/** A row of the records table as `pg` returns it (bigint as text, timestamptz as Date). */
export interface RecordRow {
  readonly chain: string;
  readonly seq: string;
  readonly kind: AuditKind;
  readonly event_id: string;
  readonly occurred_at: Date;
  readonly recorded_at: Date;
  readonly tenant: string | null;
  readonly principal: string | null;
  readonly server: string | null;
  readonly target: string | null;
  readonly method: string | null;
  readonly decision: string | null;
  readonly outcome: string | null;
  readonly session_id: string | null;
  readonly trace_id: string | null;
  readonly event: Record<string, unknown>;
  readonly prev_hash: string;
  readonly hash: string;
}

/** Every column, in the order of the table; the SELECT list and the jsonb_to_recordset shape. */
export const recordColumns = [
  ['recorded_at', 'timestamptz'],
  ['chain', 'text'],
  ['seq', 'bigint'],
  ['kind', 'text'],
  ['event_id', 'uuid'],
  ['occurred_at', 'timestamptz'],
  ['tenant', 'text'],
  ['principal', 'text'],
  ['server', 'text'],
  ['target', 'text'],
  ['method', 'text'],
  ['decision', 'text'],
  ['outcome', 'text'],
  ['session_id', 'text'],
  ['trace_id', 'text'],
  ['event', 'jsonb'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
] as const;

export const recordColumnList = recordColumns.map(([name]) => `"${name}"`).join(', ');

export const recordColumnTypes = recordColumns.map(([name, type]) => `"${name}" ${type}`).join(', ');

export function recordFromRow(row: RecordRow): AuditRecord {
  return {
    chain: row.chain,
    seq: Number(row.seq),
    kind: row.kind,
    eventId: row.event_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    tenant: row.tenant,
    principal: row.principal,
    server: row.server,
    target: row.target,
    method: row.method,
    decision: row.decision,
    outcome: row.outcome,
    sessionId: row.session_id,
    traceId: row.trace_id,
    event: row.event,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The JSON object jsonb_to_recordset turns back into a row (timestamps as ISO strings). */
export function rowFromRecord(record: AuditRecord): Record<string, unknown> {
  return {
    recorded_at: record.recordedAt.toISOString(),
    chain: record.chain,
    seq: record.seq,
    kind: record.kind,
    event_id: record.eventId,
    occurred_at: record.occurredAt.toISOString(),
    tenant: record.tenant,
    principal: record.principal,
    server: record.server,
    target: record.target,
    method: record.method,
    decision: record.decision,
    outcome: record.outcome,
    session_id: record.sessionId,
    trace_id: record.traceId,
    event: record.event,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}
