import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { AuditQueryRepository } from '../storage/audit-query.repository';
import { encodeCursor, eventsQuerySchema, parseQuery } from './audit-query';
import { AuditHttpErrorFilter } from './audit-http-error.filter';
import { type AuditRecordView, recordView } from './audit-record.view';

export interface EventsPage {
  readonly events: readonly AuditRecordView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Query side of the trail: filtered pages, newest first. */
@Controller('api/v1/audit')
@UseFilters(AuditHttpErrorFilter)
export class AuditEventsController {
  constructor(private readonly records: AuditQueryRepository) {}

  @Get('events')
  async events(@Query() raw: unknown): Promise<EventsPage> {
    const { limit, cursor, ...filters } = parseQuery(eventsQuerySchema, raw);
    // One row more than asked says whether another page follows.
    const found = await this.records.find(filters, 'newest-first', limit + 1, cursor);
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      events: page.map(recordView),
      nextCursor: found.length > limit && last ? encodeCursor(last) : null,
    };
  }
}
