import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { DatabaseModule } from '@gateway/platform';
import { AUDIT_CONFIG, type AuditConfig, loadAuditConfig } from './audit-config';
import { AuditEventConsumer } from './consumer/audit-event.consumer';
import { CreateCallEvents1763700000000 } from './migrations/1763700000000-create-call-events.migration';
import { CreateHashChainedRecords1764000000000 } from './migrations/1764000000000-create-hash-chained-records.migration';
import { AuditEventsController } from './query/audit-events.controller';
import { AuditExportController } from './query/audit-export.controller';
import { AuditExportService } from './query/audit-export.service';
import { AuditRetentionJob } from './retention/audit-retention.job';
import { AuditChainRepository } from './storage/audit-chain.repository';
import { AuditPartitionRepository } from './storage/audit-partition.repository';
import { AuditQueryRepository } from './storage/audit-query.repository';
import { AuditRecordRepository } from './storage/audit-record.repository';
import {
  AUDIT_CLOCK,
  AUDIT_DATABASE,
  AUDIT_SCHEMA,
  AUDIT_SCHEMA_NAME,
  systemClock,
} from './storage/audit-storage.tokens';
import { AuditTables } from './storage/audit-tables';
import { AuditVerifyController } from './verify/audit-verify.controller';
import { AuditVerifyService } from './verify/audit-verify.service';

export const auditMigrations = [CreateCallEvents1763700000000, CreateHashChainedRecords1764000000000];

export const auditControllers: Type[] = [AuditEventsController, AuditExportController, AuditVerifyController];

/** Everything but the database, the config and the bus, which the importer provides. */
export const auditProviders: Provider[] = [
  { provide: AUDIT_SCHEMA, useValue: AUDIT_SCHEMA_NAME },
  { provide: AUDIT_CLOCK, useValue: systemClock },
  AuditTables,
  AuditPartitionRepository,
  AuditRecordRepository,
  AuditChainRepository,
  AuditQueryRepository,
  AuditVerifyService,
  AuditExportService,
  AuditRetentionJob,
  AuditEventConsumer,
];

/**
 * The audit service: consumes calls, security events and admin changes into hash chains in the
 * "audit" schema, and serves /api/v1/audit/{events,export,verify}. Imported bare (the embedded
 * launcher) it reads its config from the environment; forRoot takes it from the caller.
 */
@Module({
  imports: [
    DatabaseModule.forService({
      token: AUDIT_DATABASE,
      schema: AUDIT_SCHEMA_NAME,
      entities: [],
      migrations: auditMigrations,
    }),
  ],
  controllers: auditControllers,
  providers: [{ provide: AUDIT_CONFIG, useFactory: () => loadAuditConfig() }, ...auditProviders],
})
export class AuditModule {
  static forRoot(config: AuditConfig): DynamicModule {
    return { module: AuditModule, providers: [{ provide: AUDIT_CONFIG, useValue: config }] };
  }
}
