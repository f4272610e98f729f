import type { AuditKind, AuditRecord } from '../chain/audit-record';

/** A record as the API and the exports show it. */
export interface AuditRecordView {
  readonly kind: AuditKind;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly tenant: string | null;
  readonly principal: string | null;
  readonly server: string | null;
  readonly target: string | null;
  readonly method: string | null;
  readonly decision: string | null;
  readonly outcome: string | null;
  readonly sessionId: string | null;
  readonly traceId: string | null;
  readonly chain: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  /** The event as it was received. */
  readonly event: Readonly<Record<string, unknown>>;
}

export function recordView(record: AuditRecord): AuditRecordView {
  return {
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
    chain: record.chain,
    seq: record.seq,
    prevHash: record.prevHash,
    hash: record.hash,
    event: record.event,
  };
}

/** CSV columns, in order; the event is one JSON-encoded column. */
export const csvColumns = [
  'kind',
  'eventId',
  'occurredAt',
  'recordedAt',
  'tenant',
  'principal',
  'server',
  'target',
  'method',
  'decision',
  'outcome',
  'sessionId',
  'traceId',
  'chain',
  'seq',
  'prevHash',
  'hash',
  'event',
] as const satisfies ReadonlyArray<keyof AuditRecordView>;

export function csvRecord(record: AuditRecord): Record<(typeof csvColumns)[number], string | number | null> {
  const view = recordView(record);
  return { ...view, event: JSON.stringify(view.event) };
}
