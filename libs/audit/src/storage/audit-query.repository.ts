import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@gateway/platform';
import type { AuditRecord } from '../chain/audit-record';
import type { AuditFilters, CursorPosition } from '../query/audit-query';
import { AUDIT_DATABASE } from './audit-storage.tokens';
import { AuditTables } from './audit-tables';
import { recordColumnList, recordFromRow, type RecordRow } from './record-row';

export type SortOrder = 'newest-first' | 'oldest-first';

const filterColumns = {
  tenant: 'tenant',
  agent: 'principal',
  server: 'server',
  tool: 'target',
  method: 'method',
  kind: 'kind',
  decision: 'decision',
  outcome: 'outcome',
  sessionId: 'session_id',
} as const satisfies Partial<Record<keyof AuditFilters, string>>;

/**
 * Filtered reads of the trail in (occurred_at, event_id) order with keyset pagination: a page
 * continues strictly after the previous page's last key, so rows inserted meanwhile neither
 * repeat a row nor push one out of the walk, unlike OFFSET.
 */
@Injectable()
export class AuditQueryRepository {
  constructor(
    @Inject(AUDIT_DATABASE) private readonly database: Database,
    private readonly tables: AuditTables,
  ) {}

  async find(
    filters: AuditFilters,
    order: SortOrder,
    limit: number,
    after?: CursorPosition,
  ): Promise<AuditRecord[]> {
    const params: unknown[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    const conditions = Object.entries(filterColumns).flatMap(([filter, column]) => {
      const value = filters[filter as keyof typeof filterColumns];
      return value === undefined ? [] : [`"${column}" = ${bind(value)}`];
    });
    if (filters.from) conditions.push(`"occurred_at" >= ${bind(filters.from)}`);
    if (filters.to) conditions.push(`"occurred_at" < ${bind(filters.to)}`);
    const direction = order === 'newest-first' ? 'DESC' : 'ASC';
    if (after) {
      const comparison = order === 'newest-first' ? '<' : '>';
      conditions.push(
        `("occurred_at", "event_id") ${comparison} (${bind(after.occurredAt)}, ${bind(after.eventId)}::uuid)`,
      );
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows: RecordRow[] = await this.database.dataSource().query(
      `SELECT ${recordColumnList} FROM ${this.tables.records} ${where}
       ORDER BY "occurred_at" ${direction}, "event_id" ${direction} LIMIT ${bind(limit)}`,
      params,
    );
    return rows.map(recordFromRow);
  }

  /** Every matching record, fetched `batchSize` at a time as the consumer asks for more. */
  async *stream(filters: AuditFilters, order: SortOrder, batchSize: number): AsyncGenerator<AuditRecord> {
    let after: CursorPosition | undefined;
    for (;;) {
      const batch = await this.find(filters, order, batchSize, after);
      yield* batch;
      const last = batch.at(-1);
      if (!last || batch.length < batchSize) return;
      after = { occurredAt: last.occurredAt, eventId: last.eventId };
    }
  }
}
