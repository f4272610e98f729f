import type { AuditRecord } from '../chain/audit-record';

/** A record as the API and the exports show it: the record with its times as ISO 8601 text. */
export type AuditRecordView = Omit<AuditRecord, 'occurredAt' | 'recordedAt'> & {
  readonly occurredAt: string;
  readonly recordedAt: string;
};

export function recordView(record: AuditRecord): AuditRecordView {
  return {
    ...record,
    occurredAt: record.occurredAt.toISOString(),
    recordedAt: record.recordedAt.toISOString(),
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
