import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { NoteEntity, noteEntities, noteMigrations, testLogger } from './note-test.fixture';
import { PostgresDatabase } from './postgres-database';

jest.setTimeout(60_000);

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  let server: EmbeddedPostgres | undefined;
  const databases: PostgresDatabase[] = [];

  function openDatabase(schema: string): PostgresDatabase {
    const database = new PostgresDatabase(
      { url: server!.url, schema, entities: noteEntities, migrations: noteMigrations, poolSize: 3 },
      testLogger(),
    );
    databases.push(database);
    database.start();
    return database;
  }

  async function closeAll(): Promise<void> {
    await Promise.all(databases.splice(0).map((database) => database.close()));
    await server?.stop();
    server = undefined;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-pg-'));
  });

  afterAll(async () => {
    await closeAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves two services on their own schemas through the plain pg driver over a unix socket', async () => {
    server = await startEmbeddedPostgres({ dataDir, logger: testLogger() });
    expect(server.url).toBe(
      `postgres://postgres:postgres@localhost:5432/postgres?host=${encodeURIComponent(dataDir)}`,
    );

    const [alpha, beta] = await Promise.all(
      [openDatabase('alpha'), openDatabase('beta')].map((database) => database.whenReady()),
    );
    await alpha!.getRepository(NoteEntity).save({ body: 'from alpha' });
    await beta!.getRepository(NoteEntity).save([{ body: 'from beta 1' }, { body: 'from beta 2' }]);

    expect((await alpha!.getRepository(NoteEntity).find()).map((note) => note.body)).toEqual(['from alpha']);
    expect(await beta!.getRepository(NoteEntity).count()).toBe(2);
    for (const schema of ['alpha', 'beta']) {
      const applied: { name: string }[] = await alpha!.query(
        `SELECT name FROM "${schema}"."migrations" ORDER BY id`,
      );
      expect(applied.map((row) => row.name)).toEqual([
        'CreateNotes1700000000001',
        'AddNoteCreatedAt1700000000002',
      ]);
    }
    const publicTables: unknown[] = await alpha!.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'notes'`,
    );
    expect(publicTables).toHaveLength(0);
  });

  it('runs transactions from several connections at once', async () => {
    const alpha = databases[0]!.dataSource();
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        alpha.transaction(async (manager) => {
          await manager.getRepository(NoteEntity).save({ body: `tx ${index}` });
        }),
      ),
    );
    expect(await alpha.getRepository(NoteEntity).count()).toBe(21);
  });

  it('refuses a second server on a data directory that is being served', async () => {
    await expect(startEmbeddedPostgres({ dataDir, logger: testLogger() })).rejects.toThrow('already served');
  });

  it('keeps the data across stop and start', async () => {
    await closeAll();
    server = await startEmbeddedPostgres({ dataDir, logger: testLogger() });
    const alpha = await openDatabase('alpha').whenReady();
    expect(await alpha.getRepository(NoteEntity).count()).toBe(21);
    const applied: unknown[] = await alpha.query(`SELECT name FROM "alpha"."migrations"`);
    expect(applied).toHaveLength(2);
  });

  it('stops cleanly while a client still holds an open transaction', async () => {
    const client = new Client({ connectionString: server!.url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO "alpha"."notes" (body) VALUES ('never committed')`);
    await closeAll();
    await client.end().catch(() => undefined);

    server = await startEmbeddedPostgres({ dataDir, logger: testLogger() });
    const alpha = await openDatabase('alpha').whenReady();
    expect(await alpha.getRepository(NoteEntity).count()).toBe(21);
  });

  it('keeps each connection’s extended-protocol exchange and transaction whole while others run theirs', async () => {
    await closeAll();
    server = await startEmbeddedPostgres({ dataDir, logger: testLogger() });
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const client = new Client({ connectionString: server!.url });
        await client.connect();
        return client;
      }),
    );
    try {
      // Parse/Bind/Execute/Sync outside a transaction on one connection, transactions on the
      // others: interleaved message by message, the unnamed statement of one is lost to another.
      const rounds = 150;
      const [reader, ...writers] = clients;
      const reads = (async () => {
        for (let n = 0; n < rounds; n += 1) {
          const { rows } = await reader!.query<{ n: number }>('SELECT $1::int AS n', [n]);
          expect(rows[0]?.n).toBe(n);
        }
      })();
      const transactions = writers.map(async (client, writer) => {
        for (let n = 0; n < rounds / 3; n += 1) {
          await client.query('BEGIN');
          const { rows } = await client.query<{ v: string }>('SELECT $1::text AS v', [`${writer}-${n}`]);
          expect(rows[0]?.v).toBe(`${writer}-${n}`);
          await client.query('COMMIT');
        }
      });
      await Promise.all([reads, ...transactions]);
    } finally {
      await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
      await closeAll();
    }
  });
});
