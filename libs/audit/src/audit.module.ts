import { Module } from '@nestjs/common';
import { DatabaseModule } from '@gateway/platform';
import { AuditEventsController } from './calls/audit-events.controller';
import { CallEventConsumer } from './calls/call-event.consumer';
import { CallRecordEntity } from './calls/call-record.entity';
import { AUDIT_DATABASE, CallRecordRepository } from './calls/call-record.repository';
import { CreateCallEvents1763700000000 } from './migrations/1763700000000-create-call-events.migration';

@Module({
  imports: [
    DatabaseModule.forService({
      token: AUDIT_DATABASE,
      schema: 'audit',
      entities: [CallRecordEntity],
      migrations: [CreateCallEvents1763700000000],
    }),
  ],
  controllers: [AuditEventsController],
  providers: [CallRecordRepository, CallEventConsumer],
})
export class AuditModule {}
