import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@gateway/platform';
import { waitFor } from '@gateway/testing';
import { type AuthServiceUnderTest, requestJson, startAuthService } from '../auth-service.fixture';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const keyPattern = /mgw_[A-Za-z0-9_-]{43}/g;

/* The admin API and the first run, over HTTP and gRPC, on PGlite and the in-process bus. */
describe('the auth admin API', () => {
  let dataDir: string;
  let postgres: EmbeddedPostgres;
  let auth: AuthServiceUnderTest;
  const banners: string[] = [];
  let stdout: jest.SpyInstance;

  const api = (method: string, path: string, body?: unknown) =>
    requestJson(auth.baseUrl, method, `/api/v1/auth${path}`, body);

  async function start(): Promise<AuthServiceUnderTest> {
    const started = await startAuthService({
      databaseUrl: postgres.url,
      schema: 'auth',
      grpcAddress: `unix:${join(dataDir, 'auth.sock')}`,
      env: { AUTH_ISSUER: 'https://gateway.example.test' },
    });
    await waitFor(async () => (await fetch(`${started.baseUrl}/readyz`)).status === 200, {
      timeoutMs: 60_000,
      description: 'auth to migrate PGlite and check for an admin key',
    });
    return started;
  }

  beforeAll(async () => {
    const write = process.stdout.write.bind(process.stdout);
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.includes('first admin API key')) {
        banners.push(text);
        return true;
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    });
    dataDir = await mkdtemp(join(tmpdir(), 'auth-admin-'));
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'pglite'),
      logger: pino({ level: 'silent' }),
    });
    auth = await start();
  });

  afterAll(async () => {
    stdout?.mockRestore();
    await auth?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('makes the first admin key once, prints it once, and VerifyApiKey knows its principal', async () => {
    expect(banners).toHaveLength(1);
    const [key, ...repeated] = banners[0]!.match(keyPattern)!;
    expect(repeated.every((mention) => mention === key)).toBe(true);
    expect(banners[0]).toContain(`Authorization: Bearer ${key}`);
    expect(banners[0]).toMatch(/shown ONCE/);

    expect(await auth.verifyApiKey(key!)).toEqual({
      valid: true,
      reason: '',
      expiresAtMs: 0,
      principal: {
        id: 'user:admin',
        tenant: 'default',
        kind: 'user',
        roles: ['admin'],
        scopes: ['mcp:read', 'mcp:call', 'admin'],
        teams: [],
        credentialId: expect.stringMatching(/^key_/) as unknown,
      },
    });
    await waitFor(() => auth.published.adminChanges.length >= 3, {
      description: "the first run's admin changes",
    });
    // Keyed by entity: the bus orders them per entity, not across them.
    const firstRun = auth.published.adminChanges
      .filter((change) => change.entityType !== 'signing-key')
      .map(({ actor, entityType, entityId, action }) => `${actor} ${entityType} ${entityId} ${action}`)
      .sort();
    expect(firstRun).toEqual([
      expect.stringMatching(/^system api-key key_[0-9a-f]{24} created$/),
      'system identity default/role:admin created',
      'system identity default/role:developer created',
      'system identity default/role:viewer created',
      'system identity default/user:admin created',
    ]);

    await auth.close();
    auth = await start();
    const listed = await api('GET', '/api-keys');
    expect((listed.body as { apiKeys: unknown[] }).apiKeys).toEqual([
      expect.objectContaining({
        principal: 'user:admin',
        name: 'first-run admin key',
        prefix: key!.slice(0, 12),
        revokedAt: null,
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(banners).toHaveLength(1);
    expect((await auth.verifyApiKey(key!)).valid).toBe(true);
  });

  it('manages tenants, roles, teams and users, answering 400 naming the field, 404 and 409', async () => {
    expect((await api('POST', '/tenants', { name: 'acme', description: 'Acme Corp' })).status).toBe(201);
    expect(await api('POST', '/tenants', { name: 'acme' })).toMatchObject({ status: 409 });
    const tenants = (await api('GET', '/tenants')).body as { tenants: Array<{ name: string }> };
    expect(tenants.tenants.map((tenant) => tenant.name)).toEqual(['acme', 'default']);

    // developer is seeded at first run, as the policy service seeds its role policy.
    expect((await api('POST', '/roles', { name: 'developer', description: 'Calls dev tools' })).status).toBe(
      409,
    );
    expect((await api('POST', '/roles', { name: 'release-manager' })).status).toBe(201);
    expect((await api('POST', '/teams', { name: 'platform', roles: ['developer'] })).status).toBe(201);
    const created = await api('POST', '/users', { name: 'alice@example.com', teams: ['platform'] });
    expect(created).toMatchObject({
      status: 201,
      body: {
        id: expect.stringMatching(/^usr_/) as unknown,
        tenant: 'default',
        name: 'alice@example.com',
        principalId: 'user:alice@example.com',
        roles: [],
        teams: ['platform'],
        createdBy: 'system',
      },
    });
    const aliceId = (created.body as { id: string }).id;
    const team = (await api('GET', '/teams')).body as {
      teams: Array<{ name: string; members: string[]; roles: string[] }>;
    };
    expect(team.teams).toEqual([
      expect.objectContaining({
        name: 'platform',
        members: ['user:alice@example.com'],
        roles: ['developer'],
      }),
    ]);

    expect(await api('POST', '/users', { name: 'alice@example.com' })).toMatchObject({
      status: 409,
      body: { message: 'user "alice@example.com" already exists in tenant "default"' },
    });
    expect(await api('POST', '/users', { name: 'bad name', shoeSize: 44 })).toMatchObject({
      status: 400,
      body: { message: [expect.stringMatching(/^name: expected a user name/), 'shoeSize: unknown field'] },
    });
    expect(
      await api('POST', '/users', { name: 'bob', roles: ['developer', 'nope'], tenant: 'nowhere' }),
    ).toMatchObject({
      status: 400,
      body: { message: ['tenant: no tenant named "nowhere"'] },
    });
    expect(await api('PATCH', `/users/${aliceId}`, { roles: ['developer', 'nope'] })).toMatchObject({
      status: 400,
      body: { message: ['roles.1: no role named "nope" in tenant "default"'] },
    });
    expect(await api('GET', '/users/usr_000000000000000000000000')).toMatchObject({ status: 404 });
    expect(await api('DELETE', '/agents/agt_000000000000000000000000')).toMatchObject({ status: 404 });
    expect(
      await api('PATCH', `/users/${aliceId}`, { description: 'SRE', roles: ['developer'] }),
    ).toMatchObject({
      status: 200,
      body: { description: 'SRE', roles: ['developer'], teams: ['platform'] },
    });
    await waitFor(
      () =>
        auth.published.adminChanges.some(
          (change) => change.entityId === 'default/user:alice@example.com' && change.action === 'updated',
        ),
      { description: "the admin change of alice's update" },
    );
  });

  it("issues API keys shown once, verified with the principal's and its teams' roles, revoked with a record", async () => {
    const agent = await api('POST', '/agents', { name: 'ci', roles: [], teams: ['platform'] });
    expect(agent).toMatchObject({
      status: 201,
      body: { principalId: 'agent:ci', clientId: expect.stringMatching(/^agt_/) as unknown },
    });
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await api('POST', '/api-keys', {
      principal: 'agent:ci',
      name: 'CI runner',
      scopes: ['mcp:read'],
      expiresAt,
    });
    expect(created.status).toBe(201);
    const { id, key, prefix } = created.body as { id: string; key: string; prefix: string };
    expect(key).toMatch(/^mgw_[A-Za-z0-9_-]{43}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(JSON.stringify((await api('GET', `/api-keys/${id}`)).body)).not.toContain(key);

    expect(await auth.verifyApiKey(key)).toEqual({
      valid: true,
      reason: '',
      expiresAtMs: Date.parse(expiresAt),
      principal: {
        id: 'agent:ci',
        tenant: 'default',
        kind: 'agent',
        roles: ['developer'],
        scopes: ['mcp:read'],
        teams: ['platform'],
        credentialId: id,
      },
    });
    await waitFor(
      async () =>
        ((await api('GET', `/api-keys/${id}`)).body as { lastUsedAt: string | null }).lastUsedAt !== null,
      {
        description: 'the use of the key to be recorded',
      },
    );

    expect(await api('POST', '/api-keys', { principal: 'agent:ghost', name: 'x', scopes: [] })).toMatchObject(
      {
        status: 400,
        body: { message: ['principal: no agent:ghost in tenant "default"'] },
      },
    );
    expect(await api('POST', '/api-keys', { principal: 'agent:ci', name: 'x' })).toMatchObject({
      status: 400,
      body: { message: ['scopes: expected a list'] },
    });

    const revoked = await api('POST', `/api-keys/${id}/revoke`);
    expect(revoked).toMatchObject({ status: 200, body: { id, revokedAt: expect.any(String) as unknown } });
    const refused = await auth.verifyApiKey(key);
    expect(refused).toMatchObject({ valid: false, reason: 'revoked', expiresAtMs: 0 });
    // Over gRPC an absent message arrives as null: no principal either way.
    expect(refused.principal ?? undefined).toBeUndefined();
    await waitFor(() => auth.published.revocations.some((record) => record.key === id), {
      description: 'the revocation record',
    });
    expect(auth.published.revocations.find((record) => record.key === id)?.value).toEqual({
      credentialId: id,
      kind: 'api-key',
      tenant: 'default',
      revokedAt: (revoked.body as { revokedAt: string }).revokedAt,
      expiresAt,
    });
    await waitFor(
      () =>
        auth.published.adminChanges.some((change) => change.entityId === id && change.action === 'revoked'),
      { description: 'the admin change of the revocation' },
    );
  });

  it('revokes the API keys of a principal that is removed', async () => {
    const user = await api('POST', '/users', { name: 'leaver' });
    const { key, id } = (
      await api('POST', '/api-keys', { principal: 'user:leaver', name: 'laptop', scopes: ['mcp:read'] })
    ).body as {
      key: string;
      id: string;
    };
    expect((await auth.verifyApiKey(key)).valid).toBe(true);
    expect((await api('DELETE', `/users/${(user.body as { id: string }).id}`)).status).toBe(204);
    expect((await auth.verifyApiKey(key)).reason).toBe('revoked');
    await waitFor(() => auth.published.revocations.some((record) => record.key === id), {
      description: "the revocation of the removed user's key",
    });
  });
});
