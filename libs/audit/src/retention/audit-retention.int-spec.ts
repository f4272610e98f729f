import { Client } from 'pg';
import { adminChangeEntry, callEntry, tenantChain } from '../chain/audit-entry.mapper';
import { adminChange, callEvents } from '../chain/audit-events.fixture';
import { type AuditStore, openAuditStore, postgresUrl, uniqueSchema } from '../storage/audit-store.fixture';
import { partitionFor } from '../storage/audit-tables';

jest.setTimeout(60_000);

describe('retention by partition against Postgres', () => {
  const schemas: string[] = [];
  const stores: AuditStore[] = [];
  let admin: Client;

  async function open(): Promise<AuditStore> {
    const schema = uniqueSchema();
    schemas.push(schema);
    const store = await openAuditStore(postgresUrl, schema, {
      config: { retentionDays: 90, retentionIntervalMs: 60_000 },
      verifyBatchSize: 4,
    });
    stores.push(store);
    return store;
  }

  async function countIn(store: AuditStore, table: string): Promise<number> {
    const rows = await store.sql<{ count: string }>(`SELECT count(*) FROM ${table}`);
    return Number(rows[0]!.count);
  }

  /** 100 and 95 days ago (both past retention), then today. */
  async function fillThreeDays(store: AuditStore): Promise<void> {
    store.clock.daysAgo(100);
    await store.records.recordMany(callEvents(5, { tenant: 'acme' }).map(callEntry));
    await store.records.recordMany(callEvents(3, { tenant: 'gone' }).map(callEntry));
    await store.records.recordMany([adminChangeEntry(adminChange())]);
    store.clock.daysAgo(95);
    await store.records.recordMany(callEvents(4, { tenant: 'acme' }).map(callEntry));
    store.clock.reset();
    await store.records.recordMany(callEvents(6, { tenant: 'acme' }).map(callEntry));
    await store.records.recordMany([adminChangeEntry(adminChange())]);
  }

  beforeAll(async () => {
    admin = new Client({ connectionString: postgresUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('drops the expired partitions, checkpoints each chain, and verification still holds', async () => {
    const store = await open();
    await fillThreeDays(store);
    expect((await store.partitions.list()).map((partition) => partition.name)).toHaveLength(3);

    const dropped = await store.retention.runOnce();

    expect(dropped.map((result) => result.partition)).toEqual([
      partitionFor(new Date(Date.now() - 100 * 86_400_000)).name,
      partitionFor(new Date(Date.now() - 95 * 86_400_000)).name,
    ]);
    expect(dropped[0]!.checkpoints).toEqual(
      expect.arrayContaining([
        { chain: tenantChain('acme'), seq: 5 },
        { chain: tenantChain('gone'), seq: 3 },
        { chain: 'admin', seq: 1 },
      ]),
    );
    expect(dropped[1]!.checkpoints).toEqual([{ chain: tenantChain('acme'), seq: 9 }]);
    // Today's partition and the two ahead remain.
    expect((await store.partitions.list()).map((partition) => partition.name)).toHaveLength(3);
    expect(await countIn(store, store.tables.records)).toBe(7);
    expect(await countIn(store, store.tables.eventIds)).toBe(7);

    const report = await store.verifier.verify();
    expect(report).toMatchObject({ ok: true, chains: 3, records: 7, brokenLink: null });
    expect(report.chainReports.map((chain) => [chain.chain, chain.anchoredAt, chain.headSeq])).toEqual([
      ['admin', 1, 2],
      [tenantChain('acme'), 9, 15],
      [tenantChain('gone'), 3, 3],
    ]);

    expect(await store.retention.runOnce()).toEqual([]);
  });

  it('still detects the first rows of a chain deleted by hand after retention', async () => {
    const store = await open();
    await fillThreeDays(store);
    await store.retention.runOnce();

    await store.sql(`DELETE FROM ${store.tables.records} WHERE "chain" = $1 AND "seq" IN (10, 11)`, [
      tenantChain('acme'),
    ]);

    expect((await store.verifier.verify()).brokenLink).toMatchObject({
      chain: tenantChain('acme'),
      seq: 12,
      kind: 'gap',
      reason: 'records 10..11 are missing before seq 12',
    });
  });

  it('detects a partition dropped by hand, without a checkpoint', async () => {
    const store = await open();
    await fillThreeDays(store);
    const oldest = (await store.partitions.list())[0]!;
    await store.sql(`DROP TABLE ${store.tables.qualified(oldest.name)}`);

    expect((await store.verifier.verify(tenantChain('acme'))).brokenLink).toMatchObject({
      seq: 6,
      kind: 'gap',
    });
  });

  it('lets two replicas create the same partition at once', async () => {
    const store = await open();
    const replica = await openAuditStore(`${postgresUrl}?application_name=replica`, store.tables.schema);
    stores.push(replica);
    const day = partitionFor(new Date(Date.now() + 10 * 86_400_000));
    await Promise.all([store.partitions.ensure(day), replica.partitions.ensure(day)]);
    expect((await store.partitions.list()).map((partition) => partition.name)).toContain(day.name);
  });

  it('creates the partition an append needs on the fly', async () => {
    const store = await open();
    store.clock.set(new Date(Date.now() + 30 * 86_400_000));
    const { recorded } = await store.records.recordMany(callEvents(2).map(callEntry));
    expect(recorded).toHaveLength(2);
    expect((await store.partitions.list()).map((partition) => partition.name)).toEqual([
      partitionFor(store.clock.now()).name,
    ]);
  });
});
