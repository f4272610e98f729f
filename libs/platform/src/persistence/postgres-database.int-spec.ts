import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DatabaseUnavailableError } from './database';
import {
  capturingLogger,
  NoteEntity,
  noteEntities,
  noteMigrations,
  testLogger,
  uniqueSchema,
  waitFor,
} from './note-test.fixture';
import { PostgresDatabase, type PostgresDatabaseTuning } from './postgres-database';

jest.setTimeout(90_000);

const url = process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway';
const fast: PostgresDatabaseTuning = {
  backoff: { initialMs: 50, maxMs: 400 },
  healthCheckIntervalMs: 100,
  connectTimeoutMs: 2_000,
};
const RETRYING = 'database not ready, retrying';

const run = promisify(execFile);
async function localPostgres(command: 'start' | 'stop'): Promise<void> {
  await run('bash', ['infra/local/postgres.sh', command], { cwd: `${__dirname}/../../../..` });
}

describe('PostgresDatabase against Postgres', () => {
  let admin: Client;
  const schemas: string[] = [];
  const opened: PostgresDatabase[] = [];

  function openDatabase(
    schema: string,
    options: { url?: string; logger?: ReturnType<typeof testLogger>; tuning?: PostgresDatabaseTuning } = {},
  ): PostgresDatabase {
    if (!schemas.includes(schema)) schemas.push(schema);
    const database = new PostgresDatabase(
      { url: options.url ?? url, schema, entities: noteEntities, migrations: noteMigrations, poolSize: 4 },
      options.logger ?? testLogger(),
      options.tuning ?? fast,
    );
    opened.push(database);
    return database;
  }

  async function appliedMigrations(schema: string): Promise<string[]> {
    const result = await admin.query<{ name: string }>(
      `SELECT name FROM "${schema}"."migrations" ORDER BY id`,
    );
    return result.rows.map((row) => row.name);
  }

  async function connectAdmin(): Promise<void> {
    admin = new Client({ connectionString: url });
    await admin.connect();
  }

  beforeAll(connectAdmin);

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('has no data source before it is ready', () => {
    const database = openDatabase(uniqueSchema());
    expect(() => database.dataSource()).toThrow(DatabaseUnavailableError);
    database.start();
    expect(() => database.dataSource()).toThrow(DatabaseUnavailableError);
    expect(database.health().ready).toBe(false);
  });

  it('creates the schema, runs the migrations in it and serves repositories', async () => {
    const schema = uniqueSchema();
    const database = openDatabase(schema);
    database.start();
    const dataSource = await database.whenReady();

    expect(database.dataSource()).toBe(dataSource);
    expect(database.health()).toEqual({
      ready: true,
      detail: expect.stringContaining(`schema "${schema}" migrated`),
    });
    expect(await appliedMigrations(schema)).toEqual([
      'CreateNotes1700000000001',
      'AddNoteCreatedAt1700000000002',
    ]);
    const tables = await admin.query(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'notes'`,
    );
    expect(tables.rows).toContainEqual({ table_schema: schema });
    expect(tables.rows).not.toContainEqual({ table_schema: 'public' });

    const notes = dataSource.getRepository(NoteEntity);
    const saved = await notes.save({ body: 'hello' });
    const found = await notes.findOneByOrFail({ id: saved.id });
    expect(found.body).toBe('hello');
    expect(found.createdAt).toBeInstanceOf(Date);
  });

  it('starts again on a migrated schema without applying anything twice', async () => {
    const schema = uniqueSchema();
    const first = openDatabase(schema);
    first.start();
    await (await first.whenReady()).getRepository(NoteEntity).save({ body: 'kept' });
    await first.close();

    const second = openDatabase(schema);
    second.start();
    const dataSource = await second.whenReady();
    expect(await appliedMigrations(schema)).toHaveLength(2);
    expect((await dataSource.getRepository(NoteEntity).find()).map((note) => note.body)).toEqual(['kept']);
  });

  it('migrates once when two processes start on the same schema at the same time', async () => {
    const schema = uniqueSchema();
    const logs = [capturingLogger(), capturingLogger()];
    // Different URLs for the same server: the in-process mutex keys on the URL, so only the
    // advisory lock in Postgres stands between the two, as between two processes.
    const databases = [
      openDatabase(schema, { logger: logs[0]!.logger }),
      openDatabase(schema, { url: `${url}?application_name=second`, logger: logs[1]!.logger }),
    ];
    databases.forEach((database) => database.start());
    await Promise.all(databases.map((database) => database.whenReady()));

    expect(await appliedMigrations(schema)).toEqual([
      'CreateNotes1700000000001',
      'AddNoteCreatedAt1700000000002',
    ]);
    expect(logs.flatMap((log) => log.messages)).not.toContain(RETRYING);
    const lockKeysHeld = await admin.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted`);
    expect(lockKeysHeld.rowCount).toBe(0);
  });

  it('keeps retrying an unreachable server, says why, and stops retrying once closed', async () => {
    const { logger, messages } = capturingLogger();
    const database = openDatabase(uniqueSchema(), {
      url: 'postgres://gateway:gateway@127.0.0.1:1/gateway',
      logger,
    });
    database.start();
    await waitFor(
      'two failed attempts',
      () => messages.filter((message) => message === RETRYING).length >= 2,
    );

    const health = database.health();
    expect(health.ready).toBe(false);
    expect(health.detail).toMatch(
      /not connected to postgres:\/\/gateway:\*\*\*@127\.0\.0\.1:1\/gateway .*ECONNREFUSED/,
    );
    expect(() => database.dataSource()).toThrow(DatabaseUnavailableError);

    const ready = database.whenReady();
    await database.close();
    await expect(ready).rejects.toBeInstanceOf(DatabaseUnavailableError);
    const attemptsAtClose = messages.filter((message) => message === RETRYING).length;
    // Absence of retries can only be shown over time: wait longer than the longest backoff.
    await new Promise((resolve) => setTimeout(resolve, 3 * fast.backoff!.maxMs));
    expect(messages.filter((message) => message === RETRYING)).toHaveLength(attemptsAtClose);
    expect(database.health()).toEqual({ ready: false, detail: 'closed' });
    await database.close();
  });

  it('becomes ready when Postgres comes up, and reports losing it later', async () => {
    const schema = uniqueSchema();
    const { logger, messages } = capturingLogger();
    await admin.end();
    try {
      await localPostgres('stop');
      const database = openDatabase(schema, { logger });
      database.start();
      await waitFor('a failed attempt', () => messages.includes(RETRYING));
      expect(database.health().ready).toBe(false);

      await localPostgres('start');
      await database.whenReady();
      expect(database.health().ready).toBe(true);

      await localPostgres('stop');
      await waitFor('health to report the lost connection', () => !database.health().ready);
      expect(database.health().detail).toMatch(/lost connection to/);

      await localPostgres('start');
      await waitFor('health to recover', () => database.health().ready);
      await database.dataSource().getRepository(NoteEntity).save({ body: 'after restart' });
      expect(await database.dataSource().getRepository(NoteEntity).count()).toBe(1);
    } finally {
      await localPostgres('start');
      await connectAdmin();
    }
  });
});
