import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AdminChange, CallEvent, SecurityEvent } from '@gateway/contracts';
import {
  EVENT_BUS,
  type EmbeddedPostgres,
  type EventBus,
  PlatformModule,
  publishEvent,
  startEmbeddedPostgres,
} from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import { AuditModule } from './audit.module';
import { callEntry, tenantChain } from './chain/audit-entry.mapper';
import { adminChange, callEvents, securityEvent } from './chain/audit-events.fixture';
import type { AuditRecordView } from './query/audit-record.view';
import { AuditRetentionJob } from './retention/audit-retention.job';
import { AuditRecordRepository } from './storage/audit-record.repository';
import { type AuditStore, openAuditStore, quietLogger } from './storage/audit-store.fixture';
import type { VerifyReport } from './verify/audit-verify.service';

jest.setTimeout(120_000);

/* The embedded topology: PGlite behind its socket server and the in-process bus. */
describe('audit on PGlite', () => {
  let dataDir: string;
  let postgres: EmbeddedPostgres;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'audit-pglite-'));
    postgres = await startEmbeddedPostgres({ dataDir, logger: quietLogger() });
  });

  afterAll(async () => {
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('the audit module with the in-process bus', () => {
    let app: INestApplication;
    let bus: EventBus;
    let baseUrl: string;

    async function events(query: string): Promise<AuditRecordView[]> {
      const response = await fetch(`${baseUrl}/api/v1/audit/events?limit=1000&${query}`);
      return ((await response.json()) as { events: AuditRecordView[] }).events;
    }

    beforeAll(async () => {
      @Module({
        imports: [
          PlatformModule.forRoot({
            processName: 'audit-test',
            bus: { kind: 'in-process' },
            databaseUrl: postgres.url,
          }),
          AuditModule.forRoot({ retentionDays: 90, retentionIntervalMs: 60_000 }),
        ],
      })
      class EmbeddedAuditTestModule {}
      app = await NestFactory.create(EmbeddedAuditTestModule, { logger: false });
      await app.listen(0, '127.0.0.1');
      baseUrl = await app.getUrl();
      bus = app.get<EventBus>(EVENT_BUS);
      await waitFor(async () => (await fetch(`${baseUrl}/readyz`)).status === 200, {
        description: 'audit to migrate PGlite and become ready',
      });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('records calls, security events and admin changes once each, however often delivered', async () => {
      // No database reads while the consumers write: the embedded socket server interleaves one
      // connection's extended-protocol query with another's transaction and then stalls (a
      // platform defect, reproduced with plain pg clients), so the test counts finished appends.
      await app.get(AuditRetentionJob).whenIdle();
      const repository = app.get(AuditRecordRepository);
      const recordMany = repository.recordMany.bind(repository);
      let appended = 0;
      jest.spyOn(repository, 'recordMany').mockImplementation(async (entries) => {
        const result = await recordMany(entries);
        // Events come in batches: what counts is how many were appended.
        appended += entries.length;
        return result;
      });
      const sessionId = 'pglite-session';
      const calls = callEvents(8, { tenant: 'embedded', sessionId });
      const security = [securityEvent({ tenant: 'embedded' }), securityEvent({ tenant: 'embedded' })];
      const changes = [adminChange({ entityId: 'pglite-entity' })];
      for (let delivery = 0; delivery < 2; delivery += 1) {
        calls.forEach((event) => publishEvent(bus, CallEvent, event));
        security.forEach((event) => publishEvent(bus, SecurityEvent, event));
        changes.forEach((change) => publishEvent(bus, AdminChange, change));
      }
      await waitFor(() => appended >= 2 * 11, { description: 'every delivery to be appended' });

      const recorded = await events('');
      expect(recorded).toHaveLength(11);
      expect(recorded.filter((event) => event.chain === tenantChain('embedded'))).toHaveLength(10);
      expect(recorded.filter((event) => event.chain === 'admin')).toHaveLength(1);
      const bySession = await events(`sessionId=${sessionId}&method=tools/call`);
      expect(bySession).toHaveLength(8);
      expect(bySession[0]).toMatchObject({
        sessionId,
        method: 'tools/call',
        outcome: 'ok',
        server: 'everything',
      });

      const report = (await (await fetch(`${baseUrl}/api/v1/audit/verify`)).json()) as VerifyReport;
      expect(report).toMatchObject({ ok: true, chains: 2, records: 11, brokenLink: null });
    });
  });

  describe('the repositories', () => {
    let store: AuditStore;

    beforeAll(async () => {
      store = await openAuditStore(postgres.url, 'audit_store');
    });

    afterAll(async () => {
      await store?.close();
    });

    it('replays without duplicates, appends concurrently, and survives retention', async () => {
      store.clock.daysAgo(120);
      const old = callEvents(5, { tenant: 'lite' }).map(callEntry);
      await store.records.recordMany(old);
      await store.records.recordMany(old);
      store.clock.reset();
      const fresh = callEvents(10, { tenant: 'lite' }).map(callEntry);
      await Promise.all(fresh.map((entry) => store.records.recordMany([entry])));
      await Promise.all(fresh.map((entry) => store.records.recordMany([entry])));

      expect(await store.verifier.verify()).toMatchObject({ ok: true, records: 15 });
      const dropped = await store.retention.runOnce();
      expect(dropped).toEqual([
        expect.objectContaining({ checkpoints: [{ chain: tenantChain('lite'), seq: 5 }] }),
      ]);
      expect(await store.verifier.verify()).toMatchObject({ ok: true, records: 10 });

      await store.sql(`UPDATE ${store.tables.records} SET "outcome" = 'error' WHERE "seq" = 9`);
      expect((await store.verifier.verify()).brokenLink).toMatchObject({ seq: 9, kind: 'altered' });
    });
  });
});
