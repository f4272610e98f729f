import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { Client } from 'pg';
import { GrpcPackages, type PolicyApi, type PolicyBundleValue } from '@gateway/contracts';
import { createGrpcClient } from '@gateway/platform';
import { PolicyBundleDirectory } from '@gateway/security';
import type { PolicyConfig } from './policy-config';
import { freePort, waitFor } from '@gateway/testing';
import {
  agent,
  declaredConfig,
  echo,
  type RunningPolicyService,
  startPolicyService,
} from './policy-service.fixture';

process.env['LOG_LEVEL'] ??= process.env['TEST_LOG_LEVEL'] ?? 'silent';

jest.setTimeout(120_000);

const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway';
const run = randomBytes(4).toString('hex');
const schema = `policy_test_${run}`;
describe('the policy service against Postgres, with the in-process bus', () => {
  const sql = new Client({ connectionString: databaseUrl });
  const configDirectory = mkdtempSync(join(tmpdir(), 'policy-int-'));
  let service: RunningPolicyService;

  async function start(config: PolicyConfig): Promise<RunningPolicyService> {
    const grpcAddress = `127.0.0.1:${await freePort()}`;
    const running = await startPolicyService(config, { run, databaseUrl, schema, grpcAddress });
    await waitFor(async () => (await fetch(`${running.baseUrl}/readyz`)).status === 200, {
      timeoutMs: 60_000,
      description: 'the policy service to migrate, seed, publish, and its directory to read the bundles',
    });
    return running;
  }

  const latest = (tenant: string): PolicyBundleValue | undefined =>
    service.bundles.filter((bundle) => bundle.tenant === tenant).at(-1);

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${service.baseUrl}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function rows(tenant: string): Promise<Array<{ id: string; updated_by: string; revision: string }>> {
    const result = await sql.query<{ id: string; updated_by: string; revision: string }>(
      `SELECT id, updated_by, revision FROM "${schema}".policies WHERE tenant = $1 ORDER BY id`,
      [tenant],
    );
    return result.rows;
  }

  beforeAll(async () => {
    await sql.connect();
    service = await start(declaredConfig(configDirectory));
  });

  afterAll(async () => {
    await service?.app.close();
    await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await sql.end();
    rmSync(configDirectory, { recursive: true, force: true });
  });

  it('seeds the role policies on the default tenant and publishes its bundle', async () => {
    expect(await rows('default')).toEqual([
      { id: 'role-admin', updated_by: 'system', revision: '1' },
      { id: 'role-developer', updated_by: 'system', revision: '1' },
      { id: 'role-viewer', updated_by: 'system', revision: '1' },
    ]);
    const listed = (await call('GET', '/policies/default')).json as {
      bundleRevision: number;
      policies: Array<{ id: string }>;
    };
    expect(listed.policies.map((policy) => policy.id)).toEqual([
      'role-admin',
      'role-developer',
      'role-viewer',
    ]);
    const bundle = latest('default');
    expect(bundle).toMatchObject({
      tenant: 'default',
      revision: listed.bundleRevision,
      defaultDecision: 'deny',
    });
    expect(bundle?.source).toContain('@id("role-viewer")');
    const engine = service.app.get(PolicyBundleDirectory).engineFor('default');
    expect(
      engine?.decide({ principal: agent(['developer']), action: 'tools/call', resource: echo, context: {} })
        .decision,
    ).toBe('allow');
    expect(
      engine?.decide({ principal: agent(['viewer']), action: 'tools/call', resource: echo, context: {} })
        .decision,
    ).toBe('deny');
    expect(
      engine?.decide({ principal: agent(['viewer']), action: 'tools/list', resource: echo, context: {} })
        .decision,
    ).toBe('allow');
    const seeded = await waitFor(
      () => {
        const found = service.changes.filter((change) => change.entityId.startsWith('policy:default/'));
        return found.length >= 3 && found;
      },
      { description: 'the AdminChanges of the seeded role policies' },
    );
    expect(seeded.map(({ actor, entityId, action }) => [actor, entityId, action])).toEqual([
      ['system', 'policy:default/role-admin', 'created'],
      ['system', 'policy:default/role-developer', 'created'],
      ['system', 'policy:default/role-viewer', 'created'],
    ]);
  });

  it('applies the config file: its policy and rate limits, by the actor "config"', async () => {
    expect(await rows('acme')).toEqual([{ id: 'acme-echo', updated_by: 'config', revision: '1' }]);
    await waitFor(() => latest('acme'), { description: "tenant acme's bundle" });
    expect(latest('acme')).toMatchObject({
      tenant: 'acme',
      revision: 1,
      rateLimits: [{ id: 'per-agent', per: ['agent'], capacity: 5, refillPerSecond: 1 }],
    });
    await waitFor(() => service.changes.filter((change) => change.actor === 'config').length >= 2, {
      description: 'the AdminChanges of the config file',
    });
    expect(
      service.changes
        .filter((change) => change.actor === 'config')
        .map((change) => change.entityId)
        .sort(),
    ).toEqual(['policy:acme/acme-echo', 'rate-limits:acme']);
  });

  it('stores a PUT policy, bumps the bundle revision, publishes it and decides by it', async () => {
    const before = latest('default')!.revision;
    const source = `permit (principal in Gateway::Role::"viewer", action == Gateway::Action::"tools/call", resource == Gateway::Tool::"everything/echo")
when { context.arguments.message like "hello*" };`;
    const created = await call('PUT', '/policies/default/viewer-echo-hello', {
      description: 'Viewers may greet',
      source,
    });
    expect(created).toEqual({
      status: 201,
      json: {
        policy: expect.objectContaining({
          tenant: 'default',
          id: 'viewer-echo-hello',
          revision: 1,
          enabled: true,
          updatedBy: 'system',
        }),
        bundleRevision: before + 1,
      },
    });
    await waitFor(() => latest('default')?.revision === before + 1, {
      description: 'the new bundle revision on the topic',
    });
    expect(latest('default')?.source).toContain('@id("viewer-echo-hello")');
    const directory = service.app.get(PolicyBundleDirectory);
    await waitFor(() => directory.engineFor('default')?.revision === before + 1, {
      description: 'the directory to compile it',
    });
    const engine = directory.engineFor('default')!;
    const viewerCall = (message: string) =>
      engine.decide({
        principal: agent(['viewer']),
        action: 'tools/call',
        resource: echo,
        context: { arguments: { message } },
      });
    expect(viewerCall('hello world')).toMatchObject({ decision: 'allow', policyIds: ['viewer-echo-hello'] });
    expect(viewerCall('goodbye').decision).toBe('deny');
    expect(engine.listable({ principal: agent(['viewer']), resource: echo, context: {} })).toBe(true);

    const again = await call('PUT', '/policies/default/viewer-echo-hello', { source });
    expect(again).toMatchObject({
      status: 200,
      json: { bundleRevision: before + 1, policy: { revision: 1 } },
    });
    await waitFor(
      () =>
        service.changes.some(
          (change) => change.entityId === 'policy:default/viewer-echo-hello' && change.action === 'created',
        ),
      { description: 'the AdminChange of the new policy' },
    );
    expect(
      service.changes.filter((change) => change.entityId === 'policy:default/viewer-echo-hello'),
    ).toEqual([
      expect.objectContaining({ actor: 'system', entityType: 'policy', action: 'created', revision: 1 }),
    ]);
  });

  it('refuses an invalid policy with 400, lines and columns, and changes nothing', async () => {
    const revision = latest('default')!.revision;
    const source =
      '// checks the tenant\npermit (principal, action, resource)\nwhen { principal.tenatn == "default" };';
    const expected = {
      status: 400,
      json: {
        error: 'invalid policy',
        errors: [
          expect.objectContaining({
            policyId: 'typo',
            line: 3,
            column: 8,
            message: expect.stringContaining('`tenatn`'),
          }),
        ],
      },
    };
    expect(await call('PUT', '/policies/default/typo', { source })).toEqual(expected);
    expect(await call('POST', '/policies/default/validate', { source, id: 'typo' })).toEqual(expected);
    expect(
      await call('POST', '/policies/default/validate', { source: 'forbid (principal, action, resource);' }),
    ).toEqual({
      status: 200,
      json: { ok: true },
    });
    expect((await call('PUT', '/policies/default/typo', { source: '// nothing' })).status).toBe(400);
    expect(
      (
        await call('PUT', '/policies/default/no%20spaces', {
          source: 'permit (principal, action, resource);',
        })
      ).status,
    ).toBe(400);
    expect((await call('GET', '/policies/default/typo')).status).toBe(404);
    expect(latest('default')?.revision).toBe(revision);
  });

  it('keeps rate limits and guardrails, and publishes them in the bundle', async () => {
    const rules = [
      { id: 'per-tool', per: ['agent', 'tool'], methods: ['tools/call'], capacity: 10, refillPerSecond: 2 },
    ];
    expect(await call('PUT', '/tenants/default/rate-limits', rules)).toEqual({ status: 200, json: rules });
    const guardrails = {
      masking: { detectors: ['secrets', 'email'], arguments: true, results: true },
      servers: { everything: null },
    };
    expect(await call('PUT', '/tenants/default/guardrails', guardrails)).toEqual({
      status: 200,
      json: guardrails,
    });
    expect(await call('GET', '/tenants/default/rate-limits')).toEqual({ status: 200, json: rules });
    expect(await call('GET', '/tenants/default/guardrails')).toEqual({ status: 200, json: guardrails });
    await waitFor(() => latest('default')?.guardrails !== undefined, {
      description: 'the bundle with the guardrails',
    });
    expect(latest('default')).toMatchObject({ rateLimits: rules, guardrails });
    expect(
      (
        await call('PUT', '/tenants/default/rate-limits', [
          { id: 'x', per: ['everyone'], capacity: 1, refillPerSecond: 1 },
        ])
      ).status,
    ).toBe(400);
    expect((await call('GET', '/tenants/Not_A_Tenant/rate-limits')).status).toBe(400);
  });

  it('decides over gRPC with the bundle, and by the default for a tenant without policies', async () => {
    const client = createGrpcClient<PolicyApi.PolicyServiceClient>(GrpcPackages.policy, service.grpcAddress);
    const decide = (overrides: Partial<PolicyApi.DecideRequest>) =>
      lastValueFrom(
        client.decide({
          tenant: 'default',
          principal: 'agent:build-bot',
          principalKind: 'agent',
          roles: ['viewer'],
          teams: [],
          scopes: [],
          action: 'tools/call',
          resourceKind: 'tool',
          resourceName: 'echo',
          server: 'everything',
          contextJson: JSON.stringify({ arguments: { message: 'hello' } }),
          ...overrides,
        }),
      );
    expect(await decide({})).toMatchObject({ decision: 'allow', policyIds: ['viewer-echo-hello'] });
    expect(await decide({ resourceName: 'add' })).toMatchObject({ decision: 'deny', policyIds: [] });
    expect(await decide({ tenant: 'nobody' })).toMatchObject({ decision: 'deny', bundleRevision: 0 });
  });

  it('deletes policies, role policies included, and a restart does not seed them again', async () => {
    const revision = latest('default')!.revision;
    expect((await call('DELETE', '/policies/default/role-viewer')).status).toBe(204);
    expect((await call('DELETE', '/policies/default/role-viewer')).status).toBe(404);
    await waitFor(() => latest('default')?.revision === revision + 1, {
      description: 'the bundle without role-viewer',
    });
    expect(latest('default')?.source).not.toContain('role-viewer');

    await service.app.close();
    service = await start(declaredConfig(configDirectory));
    expect((await rows('default')).map((row) => row.id)).toEqual([
      'role-admin',
      'role-developer',
      'viewer-echo-hello',
    ]);
    // Republished unchanged at start: the same revision, nothing new to say.
    await waitFor(() => latest('default'), { description: 'the bundle republished at start' });
    expect(latest('default')?.revision).toBe(revision + 1);
  });
});
