import { callEntry, tenantChain } from '../chain/audit-entry.mapper';
import { callEvents } from '../chain/audit-events.fixture';
import { type AuditStore, openAuditStore, postgresUrl, uniqueSchema } from '../storage/audit-store.fixture';
import { CliExit, runAuditCli } from './audit-cli.command';

jest.setTimeout(60_000);

async function run(argv: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: postgresUrl }) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runAuditCli(argv, env, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('audit-cli verify against Postgres', () => {
  const schema = uniqueSchema();
  let store: AuditStore;

  beforeAll(async () => {
    store = await openAuditStore(postgresUrl, schema);
    await store.records.recordMany(callEvents(5, { tenant: 'cli' }).map(callEntry));
    await store.records.recordMany(callEvents(2, { tenant: 'other' }).map(callEntry));
  });

  afterAll(async () => {
    await store?.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await store?.close();
  });

  it('exits 0 and lists every chain when the trail is intact', async () => {
    const result = await run(['verify', '--schema', schema]);
    expect(result).toMatchObject({ status: CliExit.ok, err: '' });
    expect(result.out).toContain('ok     tenant:cli: 5 records');
    expect(result.out).toContain('2 chains, 7 records verified');
  });

  it('prints the report as JSON with --json, for one chain with --chain', async () => {
    const result = await run(['verify', '--schema', schema, '--chain', tenantChain('other'), '--json']);
    expect(result.status).toBe(CliExit.ok);
    expect(JSON.parse(result.out)).toMatchObject({ ok: true, chains: 1, records: 2 });
  });

  it('exits 1 naming the first broken link', async () => {
    await store.sql(
      `UPDATE ${store.tables.records} SET "principal" = 'agent:x' WHERE "chain" = $1 AND "seq" = 3`,
      [tenantChain('cli')],
    );
    const [row] = await store.sql<{ event_id: string }>(
      `SELECT "event_id" FROM ${store.tables.records} WHERE "chain" = $1 AND "seq" = 3`,
      [tenantChain('cli')],
    );
    const result = await run(['verify', '--schema', schema]);
    expect(result.status).toBe(CliExit.broken);
    expect(result.err).toBe(
      `broken link in chain tenant:cli at seq 3 (event ${row!.event_id}): altered: ` +
        'the stored hash does not match the content of seq 3',
    );
    expect(result.out).toContain('BROKEN tenant:cli');
  });

  it('exits 2 when it cannot verify', async () => {
    const unknown = await run(['verify', '--schema', schema, '--chain', 'tenant:nobody']);
    expect(unknown).toMatchObject({
      status: CliExit.failed,
      err: expect.stringContaining('no audit chain named'),
    });
    const unreachable = await run(['verify'], {
      DATABASE_URL: 'postgres://gateway:gateway@127.0.0.1:1/gateway',
    });
    expect(unreachable).toMatchObject({
      status: CliExit.failed,
      err: expect.stringContaining('could not run'),
    });
  });

  it('exits 64 on bad usage and 78 without DATABASE_URL', async () => {
    expect((await run([])).status).toBe(CliExit.usage);
    expect((await run(['verify', '--bogus'])).status).toBe(CliExit.usage);
    const unconfigured = await run(['verify'], {});
    expect(unconfigured).toMatchObject({
      status: CliExit.config,
      err: expect.stringContaining('DATABASE_URL'),
    });
  });
});
