import { Client } from 'pg';
import { callEntry, tenantChain } from '../chain/audit-entry.mapper';
import { callEvents } from '../chain/audit-events.fixture';
import { type AuditStore, openAuditStore, postgresUrl, uniqueSchema } from './audit-store.fixture';

jest.setTimeout(60_000);

describe('AuditRecordRepository against Postgres', () => {
  const schema = uniqueSchema();
  let store: AuditStore;
  let admin: Client;
  let tenantCount = 0;

  /** A chain of its own per test: tampering in one test must not show in another. */
  function freshTenant(): string {
    tenantCount += 1;
    return `tenant-${tenantCount}`;
  }

  async function seed(tenant: string, count: number) {
    const entries = callEvents(count, { tenant }).map(callEntry);
    const { recorded } = await store.records.recordMany(entries);
    return recorded;
  }

  beforeAll(async () => {
    store = await openAuditStore(postgresUrl, schema);
    admin = new Client({ connectionString: postgresUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await store?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  it('records a replayed batch once, and the chain verifies', async () => {
    const tenant = freshTenant();
    const entries = callEvents(20, { tenant }).map(callEntry);

    const first = await store.records.recordMany(entries);
    const replay = await store.records.recordMany([...entries, ...entries.slice(0, 5)]);

    expect(first.recorded.map((record) => record.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(first.duplicates).toEqual([]);
    expect(replay.recorded).toEqual([]);
    expect(replay.duplicates).toHaveLength(20);
    const rows = await store.sql<{ count: string }>(
      `SELECT count(*) FROM ${store.tables.records} WHERE "tenant" = $1`,
      [tenant],
    );
    expect(Number(rows[0]!.count)).toBe(20);
    const report = await store.verifier.verify(tenantChain(tenant));
    expect(report).toMatchObject({ ok: true, records: 20, brokenLink: null });
    expect(report.chainReports[0]).toMatchObject({ headSeq: 20, headHash: first.recorded[19]!.hash });
  });

  it('continues a chain across batches and reads back exactly what it hashed', async () => {
    const tenant = freshTenant();
    await seed(tenant, 3);
    const later = await seed(tenant, 2);
    expect(later.map((record) => record.seq)).toEqual([4, 5]);
    const stored = await store.chains.records(tenantChain(tenant), 0, 10, 10);
    expect(stored.at(-1)).toEqual(later.at(-1));
  });

  it('names the row whose outcome was changed with SQL', async () => {
    const tenant = freshTenant();
    const recorded = await seed(tenant, 6);
    await admin.query(
      `UPDATE "${schema}"."records" SET "outcome" = 'error' WHERE "chain" = $1 AND "seq" = 4`,
      [tenantChain(tenant)],
    );

    const report = await store.verifier.verify(tenantChain(tenant));
    expect(report.ok).toBe(false);
    expect(report.brokenLink).toMatchObject({
      chain: tenantChain(tenant),
      seq: 4,
      eventId: recorded[3]!.eventId,
      kind: 'altered',
    });
  });

  it('names the gap a deleted middle row leaves', async () => {
    const tenant = freshTenant();
    const recorded = await seed(tenant, 6);
    await admin.query(`DELETE FROM "${schema}"."records" WHERE "chain" = $1 AND "seq" = 3`, [
      tenantChain(tenant),
    ]);

    const report = await store.verifier.verify(tenantChain(tenant));
    expect(report.brokenLink).toMatchObject({
      seq: 4,
      eventId: recorded[3]!.eventId,
      kind: 'gap',
      reason: 'records 3 are missing before seq 4',
    });
  });

  it('detects deleted last rows through the chain head', async () => {
    const tenant = freshTenant();
    await seed(tenant, 4);
    await admin.query(`DELETE FROM "${schema}"."records" WHERE "chain" = $1 AND "seq" >= 3`, [
      tenantChain(tenant),
    ]);
    expect((await store.verifier.verify(tenantChain(tenant))).brokenLink).toMatchObject({
      seq: 3,
      kind: 'truncated',
    });
  });

  it('keeps one chain valid while two replicas append to it at the same time', async () => {
    const tenant = freshTenant();
    // Another pool (another URL) on the same schema: only Postgres row locks keep them apart.
    const replica = await openAuditStore(`${postgresUrl}?application_name=replica`, schema);
    try {
      const events = callEvents(60, { tenant }).map(callEntry);
      const appends = events.map((entry, index) =>
        (index % 2 === 0 ? store : replica).records.recordMany([entry]),
      );
      // Both replicas also receive a redelivery of every event of the other.
      const redeliveries = events.map((entry, index) =>
        (index % 2 === 0 ? replica : store).records.recordMany([entry]),
      );
      const results = await Promise.all([...appends, ...redeliveries]);

      expect(results.flatMap((result) => result.recorded)).toHaveLength(60);
      const report = await store.verifier.verify(tenantChain(tenant));
      expect(report).toMatchObject({ ok: true, records: 60 });
      expect(report.chainReports[0]!.headSeq).toBe(60);
    } finally {
      await replica.close();
    }
  });

  it('appends one batch over several chains and reports each chain', async () => {
    const [left, right] = [freshTenant(), freshTenant()];
    const entries = [...callEvents(3, { tenant: left }), ...callEvents(2, { tenant: right })].map(callEntry);
    const { recorded } = await store.records.recordMany(entries);
    expect(recorded.map((record) => [record.chain, record.seq])).toEqual([
      [tenantChain(left), 1],
      [tenantChain(left), 2],
      [tenantChain(left), 3],
      [tenantChain(right), 1],
      [tenantChain(right), 2],
    ]);
    expect((await store.verifier.verify(tenantChain(right))).ok).toBe(true);
  });
});
