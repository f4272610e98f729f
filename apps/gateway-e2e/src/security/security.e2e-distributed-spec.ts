import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import {
  type DistributedTopology,
  freePort,
  type ServiceProcess,
  services,
  startDistributedTopology,
  testAdminHeaders,
  waitFor,
} from '@gateway/testing';
import { CatalogRecord } from '@gateway/contracts';
import { KafkaEventBus, publishTombstone } from '@gateway/platform';
import { AdminApi } from './admin-api';

jest.setTimeout(600_000);

const serverUrl = new URL(
  process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway',
);
const databaseName = `gateway_security_${Date.now()}_${randomBytes(3).toString('hex')}`;
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${databaseName}` }).toString();

async function administerServer(sql: string): Promise<void> {
  const admin = new PgClient({ connectionString: serverUrl.toString() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'replicas-e2e', version: '1' },
  },
});

/** One stateless-ish exchange: a fresh session's initialize, answered or refused. */
async function initializeStatus(mcpUrl: string, key: string): Promise<number> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${key}`,
    },
    body: initialize,
  });
  await response.text();
  return response.status;
}

/** A session on one ingress replica that calls a tool and reports the JSON-RPC error code, if any. */
async function callerOn(
  mcpUrl: string,
  key: string,
): Promise<() => Promise<{ code?: number; data?: Record<string, unknown> }>> {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${key}`,
  };
  const opened = await fetch(mcpUrl, { method: 'POST', headers, body: initialize });
  await opened.text();
  const session = opened.headers.get('mcp-session-id')!;
  const sessionHeaders = { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' };
  await (
    await fetch(mcpUrl, {
      method: 'POST',
      headers: sessionHeaders,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    })
  ).text();
  let id = 10;
  const send = async (method: string, params: Record<string, unknown>) => {
    const response = await fetch(mcpUrl, {
      method: 'POST',
      headers: sessionHeaders,
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    const text = await response.text();
    const data =
      text
        .split('\n')
        .find((line) => line.startsWith('data:'))
        ?.slice(5) ?? text;
    return JSON.parse(data) as {
      result?: { tools?: Array<{ name: string }> };
      error?: { code: number; data?: Record<string, unknown> };
    };
  };
  // Whatever else the broker's catalog holds, the echo tool of server-everything is this one; it
  // is listed once the registry has pinned its definition (the pins topic, too, outlives runs).
  const echo = await waitFor(
    async () => {
      const { result } = await send('tools/list', {});
      return result?.tools
        ?.map((tool) => tool.name)
        .find((name) => name === 'echo' || name === 'everything_echo');
    },
    { description: `the echo tool listed on ${mcpUrl}` },
  );
  return async () => {
    const { error } = await send('tools/call', { name: echo, arguments: { message: 'counted' } });
    return { code: error?.code, data: error?.data };
  };
}

describe('security across replicas: two ingress processes, Kafka, Postgres, Redis', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'gateway-security-distributed-'));
  let topology: DistributedTopology;
  let firstIngress: ServiceProcess;
  let secondIngress: ServiceProcess;
  let secondMcpUrl: string;
  let auth: AdminApi;

  beforeAll(async () => {
    await administerServer(`CREATE DATABASE ${databaseName}`);
    topology = await startDistributedTopology({
      logDir,
      extraEnv: {
        DATABASE_URL: databaseUrl,
        REGISTRY_CONFIG_FILE: 'apps/gateway-e2e/config/everything-stdio.yaml',
        RATE_LIMIT_REDIS_URL: process.env['RATE_LIMIT_REDIS_URL'] ?? 'redis://127.0.0.1:56379',
      },
    });
    firstIngress = topology.processes.get('ingress')!;
    const secondPort = await freePort();
    secondIngress = topology.start('ingress', { INGRESS_PORT: String(secondPort) });
    secondMcpUrl = `http://127.0.0.1:${secondPort}/mcp`;
    for (const service of services) {
      await topology.processes.get(service)!.waitUntilReady(topology.httpUrl[service], 120_000);
    }
    await firstIngress.waitUntilReady(topology.httpUrl.ingress, 120_000);
    await secondIngress.waitUntilReady(`http://127.0.0.1:${secondPort}`, 120_000);
    auth = new AdminApi(topology.httpUrl.auth, testAdminHeaders());
  });

  afterAll(async () => {
    // The bundles topic outlives this run too: leave the default tenant without the test's limit.
    if (topology) {
      await new AdminApi(topology.httpUrl.policy, testAdminHeaders())
        .send('PUT', '/api/v1/tenants/default/rate-limits', [])
        .catch(() => undefined);
    }
    await firstIngress?.stop();
    await topology?.stop();
    // The catalog topic outlives this run's database: remove its server, so the routers of later
    // runs on this broker do not start it too.
    const bus = new KafkaEventBus({
      brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
      clientId: 'security-e2e-cleanup',
    });
    publishTombstone(bus, CatalogRecord, 'everything');
    await bus.flush(10_000);
    await bus.close();
    await administerServer(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
  });

  it('refuses, on one ingress, a key revoked through auth while another ingress had it cached', async () => {
    const created = await auth.ok<{ id: string; key: string }>('POST', '/api/v1/auth/api-keys', {
      principal: 'user:admin',
      name: 'revoked across replicas',
      scopes: ['mcp:read'],
    });
    // Both replicas verify it now and keep the verdict (longer than this test waits).
    expect(await initializeStatus(topology.mcpUrl, created.key)).toBe(200);
    expect(await initializeStatus(secondMcpUrl, created.key)).toBe(200);
    await auth.ok('POST', `/api/v1/auth/api-keys/${created.id}/revoke`);
    const revokedAt = Date.now();
    await waitFor(async () => (await initializeStatus(secondMcpUrl, created.key)) === 401, {
      timeoutMs: 10_000,
      description: 'the second ingress to refuse the revoked key',
    });
    process.stdout.write(`revocation reached the second ingress after ${Date.now() - revokedAt} ms\n`);
    expect(await initializeStatus(topology.mcpUrl, created.key)).toBe(401);
  });

  it('holds one agent to one rate limit whichever ingress its calls reach', async () => {
    const policy = new AdminApi(topology.httpUrl.policy, testAdminHeaders());
    await policy.ok('PUT', '/api/v1/tenants/default/rate-limits', [
      { id: 'calls-per-agent', per: ['agent'], methods: ['tools/call'], capacity: 6, refillPerSecond: 0.001 },
    ]);
    // A probe agent until both replicas enforce the bundle, so the agent under test starts full.
    const probe = await auth.ok<{ key: string }>('POST', '/api/v1/auth/api-keys', {
      principal: 'user:admin',
      name: 'rate-limit probe',
      scopes: ['mcp:read', 'mcp:call'],
    });
    for (const url of [topology.mcpUrl, secondMcpUrl]) {
      const call = await callerOn(url, probe.key);
      await waitFor(async () => (await call()).code === 429, { description: `the bundle's limit on ${url}` });
    }
    // Buckets live in Redis, which outlives this run: an agent of this run's own starts full.
    const agentName = `limited-bot-${randomBytes(4).toString('hex')}`;
    await auth.ok('POST', '/api/v1/auth/agents', {
      name: agentName,
      roles: ['developer'],
      scopes: ['mcp:read', 'mcp:call'],
    });
    const limited = await auth.ok<{ key: string }>('POST', '/api/v1/auth/api-keys', {
      principal: `agent:${agentName}`,
      name: 'limited',
      scopes: ['mcp:read', 'mcp:call'],
    });
    const onFirst = await callerOn(topology.mcpUrl, limited.key);
    const onSecond = await callerOn(secondMcpUrl, limited.key);
    const outcomes: Array<number | undefined> = [];
    for (let index = 0; index < 8; index += 1)
      outcomes.push((await (index % 2 === 0 ? onFirst : onSecond)()).code);
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, 429, 429]);
    const refused = await onSecond();
    expect(refused).toMatchObject({ code: 429, data: { rule: 'calls-per-agent', limit: 6 } });
    expect(Number(refused.data!['retryAfterMs'])).toBeGreaterThan(0);
  });
});
