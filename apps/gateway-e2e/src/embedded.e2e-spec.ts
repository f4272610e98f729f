import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openSession, SealedBox } from '@gateway/mcp';
import { freePort, ServiceProcess, testAdminHeaders, testCredentialEnv, waitFor } from '@gateway/testing';
import { connectClient, counterValue, postRaw } from './mcp-client';

jest.setTimeout(120_000);

interface AuditEvent {
  method: string;
  outcome: string;
  server: string | null;
  target: string | null;
  sessionId: string;
}

interface UpstreamView {
  name: string;
  state: string;
  restarts: number;
}

const maxBodyBytes = 64 * 1024;

describe('embedded topology (npm start): one process, PGlite, in-process bus', () => {
  const sessionKey = randomBytes(32);
  const workDir = mkdtempSync(join(tmpdir(), 'gateway-e2e-'));
  let gateway: ServiceProcess;
  let baseUrl: string;
  let mcpUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    mcpUrl = `${baseUrl}/mcp`;
    gateway = new ServiceProcess({
      app: 'gateway',
      logDir: workDir,
      env: {
        ...testCredentialEnv,
        INGRESS_SESSION_KEY: sessionKey.toString('hex'),
        GATEWAY_PORT: String(port),
        GATEWAY_DATA_DIR: join(workDir, 'data'),
        // A long first backoff leaves a window in which a call must fail fast, not hang.
        ROUTER_RESTART_BACKOFF_MS: '1500',
        INGRESS_MAX_BODY_BYTES: String(maxBodyBytes),
        ROUTER_HEARTBEAT_INTERVAL_MS: '1000',
        INGRESS_HEARTBEAT_INTERVAL_MS: '1000',
      },
    });
    await gateway.waitUntilReady(baseUrl);
    await waitFor(
      async () => {
        const { upstreams } = (await (
          await fetch(`${baseUrl}/api/v1/upstreams`, { headers: testAdminHeaders() })
        ).json()) as { upstreams: UpstreamView[] };
        return upstreams.some((upstream) => upstream.name === 'everything' && upstream.state === 'ready');
      },
      { description: 'server-everything to be connected' },
    );
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('lists and calls a tool of server-everything through the gateway, and audits and counts the call', async () => {
    const { client, sessionId: sealedId } = await connectClient(mcpUrl);
    // Audit rows carry the session's identity from inside its sealed id, never the id itself,
    // which is a bearer secret.
    const sessionId = openSession(new SealedBox(sessionKey), sealedId)!.sid;
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));

      const result = await client.callTool({ name: 'echo', arguments: { message: 'through the gateway' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: through the gateway' }]);

      const audited = await waitFor(
        async () => {
          const response = await fetch(
            `${baseUrl}/api/v1/audit/events?sessionId=${sessionId}&method=tools/call`,
            { headers: testAdminHeaders() },
          );
          const { events } = (await response.json()) as { events: AuditEvent[] };
          return events.find((event) => event.target === 'echo');
        },
        { description: 'the audit row of the tools/call' },
      );
      expect(audited).toMatchObject({ outcome: 'ok', server: 'everything', sessionId });

      await waitFor(
        async () => {
          const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
          const calls = counterValue(metrics, 'mcp_gateway_calls_total', {
            method: 'tools/call',
            server: 'everything',
            outcome: 'ok',
          });
          return calls !== undefined && calls >= 1;
        },
        { description: 'the tools/call counter on /metrics' },
      );
      await waitFor(
        async () => {
          const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
          return (
            (counterValue(metrics, 'mcp_gateway_sessions_active', {}) ?? 0) >= 1 &&
            counterValue(metrics, 'mcp_gateway_upstream_up', { server: 'everything' }) === 1
          );
        },
        { description: 'the open session and the connected upstream on /metrics' },
      );
      const verified = (await (
        await fetch(`${baseUrl}/api/v1/audit/verify`, { headers: testAdminHeaders() })
      ).json()) as { ok: boolean };
      expect(verified.ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('answers malformed JSON with a parse error, an oversized body with 413, an unknown session with 404', async () => {
    const malformed = await postRaw(mcpUrl, '{"jsonrpc": "2.0", "method": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error?.code).toBe(-32700);

    const oversized = await postRaw(
      mcpUrl,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'ping',
        params: { padding: 'x'.repeat(maxBodyBytes) },
      }),
    );
    expect(oversized.status).toBe(413);
    expect(oversized.json.error?.message).toBe(`Request body exceeds ${maxBodyBytes} bytes`);

    const unknown = await postRaw(mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
      'mcp-session-id': 'no-such-session',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error?.message).toBe('Session not found');
  });

  it('restarts an upstream that exits; a call during the gap gets an error naming the server', async () => {
    const { client } = await connectClient(mcpUrl);
    try {
      await client.callTool({ name: 'echo', arguments: { message: 'before' } });
      const upstreams = async (): Promise<UpstreamView[]> =>
        (
          (await (await fetch(`${baseUrl}/api/v1/upstreams`, { headers: testAdminHeaders() })).json()) as {
            upstreams: UpstreamView[];
          }
        ).upstreams;
      const before = (await upstreams()).find((upstream) => upstream.name === 'everything')!;
      expect(before.state).toBe('ready');

      const killed = killUpstreamProcess(gateway.pid);
      expect(killed).toBeGreaterThan(0);
      await waitFor(
        async () =>
          (await upstreams()).find((upstream) => upstream.name === 'everything')?.state === 'backoff',
        {
          description: 'the router to notice the exit',
        },
      );

      await expect(
        client.callTool({ name: 'echo', arguments: { message: 'during the gap' } }),
      ).rejects.toThrow(/-32010.*Upstream server "everything" is unavailable/);

      const after = await waitFor(
        async () => {
          const upstream = (await upstreams()).find((candidate) => candidate.name === 'everything');
          return upstream?.state === 'ready' ? upstream : undefined;
        },
        { description: 'the upstream to be restarted' },
      );
      expect(after.restarts).toBeGreaterThan(before.restarts);
      const result = await client.callTool({ name: 'echo', arguments: { message: 'after' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: after' }]);
    } finally {
      await client.close();
    }
  });

  it('stops with a message naming the variable when the configuration is invalid', async () => {
    const badPort = new ServiceProcess({
      app: 'gateway',
      logDir: join(workDir, 'bad-port'),
      env: { ...testCredentialEnv, GATEWAY_PORT: 'eighty' },
    });
    expect(await badPort.exit()).toBe(78);
    const badFile = join(workDir, 'bad.yaml');
    writeFileSync(badFile, 'servers:\n  - id: broken\n    transport: carrier-pigeon\n');
    const badConfig = new ServiceProcess({
      app: 'gateway',
      logDir: join(workDir, 'bad-config'),
      env: {
        ...testCredentialEnv,
        REGISTRY_CONFIG_FILE: badFile,
        GATEWAY_DATA_DIR: join(workDir, 'bad-config-data'),
      },
    });
    expect(await badConfig.exit()).toBe(78);
    expect(readFileSync(badPort.logFile, 'utf8')).toMatch(/GATEWAY_PORT: expected a TCP port number/);
    expect(readFileSync(badConfig.logFile, 'utf8')).toMatch(
      /servers\.0\.transport: expected one of stdio, streamable-http, sse, websocket/,
    );
  });
});

/** Kills the server-everything child processes of the gateway; returns how many. */
function killUpstreamProcess(gatewayPid: number): number {
  const output = execFileSync('pgrep', ['-P', String(gatewayPid), '-f', 'server-everything'], {
    encoding: 'utf8',
  });
  const pids = output.split('\n').filter(Boolean).map(Number);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids.length;
}
