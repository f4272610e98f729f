import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { waitFor } from '@gateway/testing';
import { type AuthServiceUnderTest, requestJson, startAuthService } from '../auth-service.fixture';
import { BootstrapAdminService } from './bootstrap-admin.service';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway';
const schema = `auth_test_${randomBytes(4).toString('hex')}`;

/* Two replicas on one real Postgres schema: what only one of them may do happens once. */
describe('auth replicas sharing a database', () => {
  const sql = new Client({ connectionString: databaseUrl });
  let socketDir: string;
  let replicas: AuthServiceUnderTest[] = [];
  const banners: string[] = [];
  let stdout: jest.SpyInstance;

  async function count(query: string): Promise<number> {
    const result = await sql.query<{ count: string }>(query);
    return Number(result.rows[0]!.count);
  }

  const activeAdminKeys = `SELECT count(*) FROM "${schema}".api_keys
    WHERE principal_id = 'user:admin' AND revoked_at IS NULL`;

  beforeAll(async () => {
    const write = process.stdout.write.bind(process.stdout);
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
      if (String(chunk).includes('first admin API key')) {
        banners.push(String(chunk));
        return true;
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    });
    await sql.connect();
    socketDir = await mkdtemp(join(tmpdir(), 'auth-replicas-'));
    // Both start at once on an empty schema: each migrates, makes keys and checks the first run.
    replicas = await Promise.all(
      ['a', 'b'].map((name) =>
        startAuthService({
          databaseUrl,
          schema,
          grpcAddress: `unix:${join(socketDir, `${name}.sock`)}`,
          env: { AUTH_ISSUER: 'https://gateway.example.test' },
        }),
      ),
    );
    for (const replica of replicas) {
      await waitFor(async () => (await fetch(`${replica.baseUrl}/readyz`)).status === 200, {
        timeoutMs: 60_000,
        description: 'each replica to be ready',
      });
    }
  });

  afterAll(async () => {
    stdout?.mockRestore();
    await Promise.all(replicas.map((replica) => replica.close()));
    await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await sql.end();
    await rm(socketDir, { recursive: true, force: true });
  });

  it('makes one signing key and one first admin key, printed by one replica', async () => {
    expect(await count(`SELECT count(*) FROM "${schema}".signing_keys`)).toBe(1);
    expect(await count(activeAdminKeys)).toBe(1);
    expect(banners).toHaveLength(1);
    const [first, second] = await Promise.all(
      replicas.map(
        async (replica) => (await requestJson(replica.baseUrl, 'GET', '/.well-known/jwks.json')).body,
      ),
    );
    expect(first).toEqual(second);
  });

  it('after the admin key is revoked, replicas checking at once make exactly one new key', async () => {
    const { apiKeys } = (await requestJson(replicas[0]!.baseUrl, 'GET', '/api/v1/auth/api-keys')).body as {
      apiKeys: Array<{ id: string }>;
    };
    await requestJson(replicas[0]!.baseUrl, 'POST', `/api/v1/auth/api-keys/${apiKeys[0]!.id}/revoke`);
    expect(await count(activeAdminKeys)).toBe(0);

    const outcomes = await Promise.all(
      replicas.flatMap((replica) =>
        Array.from({ length: 4 }, () => replica.app.get(BootstrapAdminService).ensureAdminKey()),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
    expect(await count(activeAdminKeys)).toBe(1);
    expect(banners).toHaveLength(2);
  });
});
