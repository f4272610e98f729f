import type { INestApplication } from '@nestjs/common';
import type { AuditEntry } from '../chain/audit-record';
import { type AuditStore, openAuditStore, postgresUrl, uniqueSchema } from '../storage/audit-store.fixture';
import { PostgresDatabase } from '@gateway/platform';
import { callEntry } from '../chain/audit-entry.mapper';
import { callEvent } from '../chain/audit-events.fixture';
import { quietLogger } from '../storage/audit-store.fixture';
import { minute, seedEntries, start, startApi } from './audit-api.fixture';
import type { AuditRecordView } from './audit-record.view';

jest.setTimeout(60_000);

interface EventsPage {
  events: AuditRecordView[];
  nextCursor: string | null;
}

describe('GET /api/v1/audit/events against Postgres', () => {
  const schema = uniqueSchema();
  let store: AuditStore;
  let app: INestApplication;
  let baseUrl: string;
  let seeded: AuditEntry[];

  async function get(path: string): Promise<Response> {
    return fetch(`${baseUrl}${path}`);
  }

  async function page(query: string): Promise<EventsPage> {
    const response = await get(`/api/v1/audit/events?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as EventsPage;
  }

  /** Follows nextCursor to the end; `between` runs after each page. */
  async function walk(query: string, between: (pages: number) => Promise<void> = async () => {}) {
    const seen: AuditRecordView[] = [];
    let cursor: string | null = null;
    for (let pages = 1; pages < 100; pages += 1) {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const result = await page(`${query}${suffix}`);
      seen.push(...result.events);
      cursor = result.nextCursor;
      if (cursor === null) return seen;
      await between(pages);
    }
    throw new Error('pagination did not end');
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

  const filters: Array<[string, (entry: AuditEntry) => boolean]> = [
    ['tenant=beta', (entry) => entry.tenant === 'beta'],
    ['agent=agent:b', (entry) => entry.principal === 'agent:b'],
    ['server=s1', (entry) => entry.server === 's1'],
    ['tool=t2', (entry) => entry.target === 't2'],
    ['method=tools/list', (entry) => entry.method === 'tools/list'],
    ['kind=security', (entry) => entry.kind === 'security'],
    ['decision=deny', (entry) => entry.decision === 'deny'],
    ['outcome=error', (entry) => entry.outcome === 'error'],
    ['sessionId=sess-2', (entry) => entry.sessionId === 'sess-2'],
    [
      `from=${new Date(start + minute).toISOString()}&to=${new Date(start + 12 * minute).toISOString()}`,
      (entry) =>
        entry.occurredAt.getTime() >= start + minute && entry.occurredAt.getTime() < start + 12 * minute,
    ],
    [
      'tenant=acme&agent=agent:a&outcome=ok&method=tools/call',
      (entry) =>
        entry.tenant === 'acme' &&
        entry.principal === 'agent:a' &&
        entry.outcome === 'ok' &&
        entry.method === 'tools/call',
    ],
  ];

  it.each(filters)('filters with %s', async (query, predicate) => {
    const expected = idsWhere(predicate);
    expect(expected.length).toBeGreaterThan(0);
    const { events, nextCursor } = await page(`${query}&limit=1000`);
    expect(events.map((event) => event.eventId).sort()).toEqual(expected);
    expect(nextCursor).toBeNull();
  });

  it('serves the fields the end-to-end suites read', async () => {
    const { events } = await page('sessionId=sess-1&method=tools/call');
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({
      sessionId: 'sess-1',
      method: 'tools/call',
      outcome: expect.any(String),
      server: expect.any(String),
      target: expect.any(String),
    });
  });

  it('walks every record exactly once, newest first, page by page', async () => {
    const walked = await walk('limit=4');
    expect(walked.map((event) => event.eventId).sort()).toEqual(idsWhere(() => true));
    const keys = walked.map((event) => `${event.occurredAt}|${event.eventId}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it('walks a filtered set exactly once while records are being inserted', async () => {
    const before = idsWhere((entry) => entry.tenant === 'acme');
    const inserted: AuditEntry[] = [];
    const walked = await walk('tenant=acme&limit=3', async (pages) => {
      // Newer than the walk (not reached) and older than the cursor (reached later): neither may
      // repeat a row or push one out.
      const newer = callEntry(
        callEvent({ tenant: 'acme', occurredAt: new Date(start + 1000 * minute).toISOString() }),
      );
      const older = callEntry(
        callEvent({ tenant: 'acme', occurredAt: new Date(start - pages * minute).toISOString() }),
      );
      inserted.push(newer, older);
      await store.records.recordMany([newer, older]);
    });
    const ids = walked.map((event) => event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(before));
    const olderIds = inserted
      .filter((entry) => entry.occurredAt.getTime() < start)
      .map((entry) => entry.eventId);
    expect(ids).toEqual(expect.arrayContaining(olderIds));
    seeded.push(...inserted);
  });

  it.each([
    ['limit=0', 'limit: expected a whole number from 1 to 1000'],
    ['limit=many', 'limit: expected a whole number from 1 to 1000'],
    ['from=yesterday', 'from: expected an ISO 8601 date-time'],
    ['kind=bogus', 'kind: expected one of call, security, admin'],
    ['decision=maybe', 'decision: expected allow or deny'],
    ['agentId=x', 'agentId: unknown parameter'],
    ['cursor=not-a-cursor', 'cursor: not a cursor returned by this API'],
    ['tenant=a&tenant=b', 'tenant: expected a tenant once'],
    ['from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'from: must be earlier than to'],
  ])('answers 400 naming the parameter for %s', async (query, message) => {
    const response = await get(`/api/v1/audit/events?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string[] };
    expect(body.message).toEqual([expect.stringContaining(message)]);
  });
});

describe('audit HTTP API without its database', () => {
  let app: INestApplication;
  let database: PostgresDatabase;

  beforeAll(async () => {
    database = new PostgresDatabase(
      {
        url: 'postgres://gateway:gateway@127.0.0.1:1/gateway',
        schema: 'audit',
        entities: [],
        migrations: [],
      },
      quietLogger(),
    );
    database.start();
    app = await startApi(database, 'audit');
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it.each(['events', 'export?format=csv', 'verify'])('answers 503 on /%s', async (path) => {
    const response = await fetch(`${await app.getUrl()}/api/v1/audit/${path}`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /audit database is not available/,
    );
  });
});
