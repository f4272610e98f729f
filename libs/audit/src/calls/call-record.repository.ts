import { Inject, Injectable } from '@nestjs/common';
import type { CallEventValue } from '@gateway/contracts';
import type { Database } from '@gateway/platform';
import { CallRecordEntity } from './call-record.entity';

export const AUDIT_DATABASE = Symbol('AUDIT_DATABASE');

export interface CallRecordQuery {
  readonly sessionId?: string;
  readonly method?: string;
  readonly limit: number;
}

@Injectable()
export class CallRecordRepository {
  constructor(@Inject(AUDIT_DATABASE) private readonly database: Database) {}

  /** Stores an event once: a redelivery of the same event id is ignored. */
  async record(event: CallEventValue): Promise<void> {
    await this.database
      .dataSource()
      .createQueryBuilder()
      .insert()
      .into(CallRecordEntity)
      .values({
        ...event,
        occurredAt: new Date(event.occurredAt),
        server: event.server ?? null,
        target: event.target ?? null,
        errorCode: event.errorCode ?? null,
        errorMessage: event.errorMessage ?? null,
        traceId: event.traceId ?? null,
      })
      .orIgnore()
      .execute();
  }

  async find(query: CallRecordQuery): Promise<CallRecordEntity[]> {
    return this.database
      .dataSource()
      .getRepository(CallRecordEntity)
      .find({
        where: { sessionId: query.sessionId, method: query.method },
        order: { occurredAt: 'DESC' },
        take: query.limit,
      });
  }
}
