import type { INestApplication } from '@nestjs/common';
import type { AuditEntry } from '../chain/audit-record';
import { type AuditStore, openAuditStore, postgresUrl, uniqueSchema } from '../storage/audit-store.fixture';
import { seedEntries, startApi } from './audit-api.fixture';
import { type AuditRecordView, csvColumns } from './audit-record.view';
import { parseCsv } from './csv-test.fixture';

jest.setTimeout(60_000);

describe('GET /api/v1/audit/export and /verify against Postgres', () => {
  const schema = uniqueSchema();
  let store: AuditStore;
  let app: INestApplication;
  let baseUrl: string;
  let seeded: AuditEntry[];

  async function get(path: string): Promise<Response> {
    return fetch(`${baseUrl}${path}`);
  }

  function idsWhere(predicate: (entry: AuditEntry) => boolean): string[] {
    return seeded
      .filter(predicate)
      .map((entry) => entry.eventId)
      .sort();
  }

  beforeAll(async () => {
    store = await openAuditStore(postgresUrl, schema);
    seeded = seedEntries();
    await store.records.recordMany(seeded);
    app = await startApi(store.database, schema);
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await store?.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await store?.close();
  });

  it('exports NDJSON, oldest first, across several batches', async () => {
    const response = await get('/api/v1/audit/export?format=ndjson&tenant=acme&kind=call');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditRecordView);
    expect(lines.map((line) => line.eventId).sort()).toEqual(
      idsWhere((entry) => entry.tenant === 'acme' && entry.kind === 'call'),
    );
    const times = lines.map((line) => line.occurredAt);
    expect(times).toEqual([...times].sort());
    expect(lines[0]).toMatchObject({ kind: 'call', tenant: 'acme', chain: 'tenant:acme' });
    expect(lines[0]!.event).toMatchObject({ eventId: lines[0]!.eventId });
  });

  it('exports CSV with a header row, quoting, and formulas defused', async () => {
    const response = await get('/api/v1/audit/export?format=csv&kind=admin');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="audit-export.csv"');
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual([...csvColumns]);
    expect(rows).toHaveLength(2);
    const cell = (row: string[], column: (typeof csvColumns)[number]): string =>
      row[csvColumns.indexOf(column)]!;
    const forged = rows.find((row) => cell(row, 'principal') === 'ops, "the" team')!;
    expect(cell(forged, 'target')).toBe(`'=HYPERLINK("http://evil")`);
    expect(JSON.parse(cell(forged, 'event'))).toMatchObject({ actor: 'ops, "the" team' });
    expect(cell(forged, 'kind')).toBe('admin');
    expect(cell(forged, 'seq')).toBe('2');
  });

  it('exports nothing but a header when nothing matches', async () => {
    const csv = await (await get('/api/v1/audit/export?format=csv&tenant=nobody')).text();
    expect(parseCsv(csv)).toEqual([[...csvColumns]]);
    expect(await (await get('/api/v1/audit/export?tenant=nobody')).text()).toBe('');
  });

  it('answers 400 for an unknown export format', async () => {
    const response = await get('/api/v1/audit/export?format=xml');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string[] }).message).toEqual([
      'format: expected ndjson or csv',
    ]);
  });

  it('verifies every chain, or one', async () => {
    const all = (await (await get('/api/v1/audit/verify')).json()) as { ok: boolean; chains: number };
    expect(all).toMatchObject({ ok: true, chains: 3, brokenLink: null });
    const one = (await (await get('/api/v1/audit/verify?chain=tenant:beta')).json()) as { records: number };
    expect(one).toMatchObject({ ok: true, chains: 1, records: 5 });
    expect((await get('/api/v1/audit/verify?chain=tenant:nobody')).status).toBe(404);
  });
});
