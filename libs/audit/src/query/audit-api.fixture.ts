import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AuditEntry } from '../chain/audit-record';
import { adminChangeEntry, callEntry, securityEntry } from '../chain/audit-entry.mapper';
import { adminChange, callEvent, securityEvent } from '../chain/audit-events.fixture';
import { auditControllers, auditProviders } from '../audit.module';
import { AuditEventConsumer } from '../consumer/audit-event.consumer';
import { AuditRetentionJob } from '../retention/audit-retention.job';
import { AUDIT_DATABASE, AUDIT_SCHEMA } from '../storage/audit-storage.tokens';
import { EXPORT_BATCH_SIZE } from './audit-export.service';

/* The audit HTTP API over a given database, and the records the API suites seed. */

export const minute = 60_000;
export const start = Date.parse('2026-11-01T00:00:00.000Z');

/** 22 records over two tenants and every kind; some share an occurred_at to exercise ties. */
export function seedEntries(): AuditEntry[] {
  const calls = Array.from({ length: 12 }, (_, index) =>
    callEntry(
      callEvent({
        tenant: 'acme',
        occurredAt: new Date(start + Math.floor(index / 3) * minute).toISOString(),
        principal: index % 2 === 0 ? 'agent:a' : 'agent:b',
        server: index % 2 === 0 ? 's1' : 's2',
        target: ['t1', 't2', 't3'][index % 3]!,
        method: index % 4 === 0 ? 'tools/list' : 'tools/call',
        decision: index % 5 === 0 ? 'deny' : 'allow',
        outcome: index % 5 === 0 ? 'denied' : index % 3 === 0 ? 'error' : 'ok',
        sessionId: index < 6 ? 'sess-1' : 'sess-2',
      }),
    ),
  );
  const beta = Array.from({ length: 5 }, (_, index) =>
    callEntry(
      callEvent({ tenant: 'beta', occurredAt: new Date(start + (10 + index) * minute).toISOString() }),
    ),
  );
  const security = Array.from({ length: 3 }, (_, index) =>
    securityEntry(
      securityEvent({
        tenant: 'acme',
        kind: 'rate-limited',
        principal: 'agent:a',
        occurredAt: new Date(start + (20 + index) * minute).toISOString(),
      }),
    ),
  );
  const admin = [
    adminChangeEntry(adminChange({ occurredAt: new Date(start + 30 * minute).toISOString() })),
    adminChangeEntry(
      adminChange({
        // A cell a spreadsheet would run as a formula, and a value full of CSV metacharacters.
        entityId: '=HYPERLINK("http://evil")',
        actor: 'ops, "the" team',
        occurredAt: new Date(start + 31 * minute).toISOString(),
      }),
    ),
  ];
  return [...calls, ...beta, ...security, ...admin];
}

/** The controllers and what they need, without the consumer and the retention job. */
export async function startApi(database: unknown, schema: string): Promise<INestApplication> {
  const httpOnly = auditProviders.filter(
    (provider) => provider !== AuditEventConsumer && provider !== AuditRetentionJob,
  );
  @Module({
    controllers: auditControllers,
    providers: [
      ...httpOnly,
      { provide: AUDIT_DATABASE, useValue: database },
      { provide: AUDIT_SCHEMA, useValue: schema },
      { provide: EXPORT_BATCH_SIZE, useValue: 3 },
    ],
  })
  class AuditApiTestModule {}
  const app = await NestFactory.create(AuditApiTestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}
