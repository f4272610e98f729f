import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient, Pool } from 'pg';
import { CallEvent, type CallEventValue } from '@gateway/contracts';
import { openSession, SealedBox } from '@gateway/mcp';
import { KafkaEventBus, publishEvent } from '@gateway/platform';
import {
  type DistributedTopology,
  OtlpReceiver,
  repositoryRoot,
  services,
  startDistributedTopology,
  waitFor,
} from '@gateway/testing';
import { AuditTrail } from './audit-trail';
import { connectClient, counterValue } from './mcp-client';

jest.setTimeout(600_000);

const serverUrl = new URL(
  process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway',
);
// A database of its own per run: the audit chain and the catalog start empty and no run sees another's.
const databaseName = `gateway_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${databaseName}` }).toString();
const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';

/** Stops or starts the broker without blocking the event loop, so calls keep flowing meanwhile. */
async function kafkaAsync(command: 'start' | 'stop'): Promise<void> {
  await promisify(execFile)('bash', [join(repositoryRoot, 'infra/local/kafka.sh'), command], {
    timeout: 180_000,
  });
}

async function administerServer(sql: string): Promise<void> {
  const admin = new PgClient({ connectionString: serverUrl.toString() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

function textOf(result: Record<string, unknown>): string {
  const [first] = (result['content'] ?? []) as Array<{ type: string; text?: string }>;
  return first?.text ?? '';
}

describe('distributed topology: seven processes, Apache Kafka, Postgres, two upstreams', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'gateway-e2e-distributed-'));
  const otlp = new OtlpReceiver();
  // A pool reconnects by itself: one test stops and restarts Postgres.
  const database = new Pool({ connectionString: databaseUrl, max: 2 });
  let topology: DistributedTopology;
  let audit: AuditTrail;

  /** The admin key auth created at first start: every MCP scope and the admin role. */
  function adminHeaders(): Record<string, string> {
    return { authorization: `Bearer ${topology.adminKey}` };
  }

  function connect(): ReturnType<typeof connectClient> {
    return connectClient(topology.mcpUrl, adminHeaders());
  }

  async function upstreamsReady(): Promise<boolean> {
    const response = await fetch(`${topology.httpUrl.router}/api/v1/upstreams`, { headers: adminHeaders() });
    if (response.status !== 200) throw new Error(`GET /api/v1/upstreams: ${response.status}`);
    const { upstreams } = (await response.json()) as { upstreams: Array<{ name: string; state: string }> };
    const ready = new Set(upstreams.filter((upstream) => upstream.state === 'ready').map((u) => u.name));
    return ready.has('everything') && ready.has('trace-fixture');
  }

  async function metricsText(): Promise<string> {
    return (await fetch(`${topology.httpUrl.telemetry}/metrics`)).text();
  }

  /** The audit records of one session and method, once there are `count` of them. */
  /** Audit records name a session by the identity inside its sealed id, never by the id itself. */
  async function recordsOnceThere(sealedSessionId: string, method: string, count: number) {
    const sessionId = openSession(new SealedBox(topology.sessionKey), sealedSessionId)!.sid;
    return waitFor(
      async () => {
        const records = await audit.events({ sessionId, method });
        return records.length >= count ? records : undefined;
      },
      { timeoutMs: 120_000, description: `${count} audit records of ${method} in session ${sessionId}` },
    );
  }

  beforeAll(async () => {
    await administerServer(`CREATE DATABASE ${databaseName}`);
    await otlp.start();
    database.on('error', () => undefined);
    topology = await startDistributedTopology({
      logDir,
      otlpEndpoint: otlp.endpoint,
      extraEnv: {
        DATABASE_URL: databaseUrl,
        REGISTRY_CONFIG_FILE: 'apps/gateway-e2e/config/two-upstreams.yaml',
        BUS_SPOOL_DIR: join(logDir, 'spool'),
        // Small, so an outage of a few calls already spills events to the disk spool.
        BUS_BUFFER_MAX_MESSAGES: '5',
        ROUTER_HEARTBEAT_INTERVAL_MS: '1000',
        // Every list fans out to the upstreams, so the fan-out trace test sees one whatever ran before.
        ROUTER_LIST_CACHE_TTL_MS: '0',
        INGRESS_HEARTBEAT_INTERVAL_MS: '1000',
        TELEMETRY_LAG_INTERVAL_MS: '1000',
      },
    });
    audit = new AuditTrail(topology.httpUrl.audit, adminHeaders());
    for (const service of services) {
      await topology.processes.get(service)!.waitUntilReady(topology.httpUrl[service], 120_000);
    }
    await waitFor(upstreamsReady, { timeoutMs: 60_000, description: 'router to connect both upstreams' });
  });

  afterAll(async () => {
    await topology?.stop();
    await database.end().catch(() => undefined);
    await otlp.stop();
    await administerServer(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
  });

  it('traces a tools/list that fans out to two upstreams in one trace, and hands the trace to an stdio upstream in _meta', async () => {
    const { client, sessionId, end } = await connect();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(['everything_get-sum', 'trace-fixture_request-meta']),
      );
      const [listed] = await recordsOnceThere(sessionId, 'tools/list', 1);
      const traceId = listed!.traceId!;
      let seen: string[] = [];
      const spans = await waitFor(
        () => {
          const found = otlp.spansOfTrace(traceId);
          const names = new Set(found.map((span) => `${span.service}: ${span.name}`));
          seen = [...names];
          const complete =
            names.has('router: tools/list everything') &&
            names.has('router: tools/list trace-fixture') &&
            found.some((span) => span.service === 'ingress') &&
            found.some((span) => span.service === 'audit');
          return complete ? found : undefined;
        },
        {
          timeoutMs: 30_000,
          description: `ingress, both upstream requests and audit in trace ${traceId}`,
          onTimeout: () => `spans seen: ${seen.join(', ')}`,
        },
      );
      const upstreamSpans = spans.filter((span) => span.name.startsWith('tools/list '));
      expect(upstreamSpans).toHaveLength(2);
      // Both upstream requests hang off the same router span: one fan-out, one trace.
      expect(new Set(upstreamSpans.map((span) => span.parentSpanId)).size).toBe(1);

      const called = await client.callTool({ name: 'trace-fixture_request-meta', arguments: {} });
      const meta = JSON.parse(textOf(called)) as { traceparent?: string };
      const [call] = await recordsOnceThere(sessionId, 'tools/call', 1);
      const [, metaTraceId, metaParentId] = meta.traceparent?.split('-') ?? [];
      expect(metaTraceId).toBe(call!.traceId);
      await waitFor(
        () =>
          otlp
            .spansOfTrace(call!.traceId!)
            .some(
              (span) => span.spanId === metaParentId && span.name === 'tools/call trace-fixture/request-meta',
            ),
        { timeoutMs: 30_000, description: 'the upstream span whose context the stdio upstream received' },
      );
    } finally {
      await end();
    }
  });

  it('calls a tool end to end: result, audit record, /metrics counter, one trace across services', async () => {
    const { client, sessionId, end } = await connect();
    try {
      const result = await client.callTool({ name: 'everything_get-sum', arguments: { a: 19, b: 23 } });
      expect(textOf(result)).toContain('42');

      const [record] = await recordsOnceThere(sessionId, 'tools/call', 1);
      expect(record).toMatchObject({
        kind: 'call',
        outcome: 'ok',
        server: 'everything',
        target: 'everything_get-sum',
      });
      expect(record!.traceId).toMatch(/^[0-9a-f]{32}$/);

      await waitFor(
        async () => {
          const calls = counterValue(await metricsText(), 'mcp_gateway_calls_total', {
            method: 'tools/call',
            server: 'everything',
            outcome: 'ok',
          });
          return calls !== undefined && calls >= 1;
        },
        { timeoutMs: 60_000, description: 'the tools/call counter on telemetry /metrics' },
      );

      await waitFor(
        () => {
          const found = new Set(otlp.spansOfTrace(record!.traceId!).map((span) => span.service));
          return ['ingress', 'router', 'audit'].every((service) => found.has(service));
        },
        { timeoutMs: 30_000, description: `spans of ingress, router and audit in trace ${record!.traceId}` },
      );
    } finally {
      await end();
    }
  });

  it('reports live sessions, the health of each upstream and the consumer lag on /metrics', async () => {
    const sessions = async (): Promise<number | undefined> =>
      counterValue(await metricsText(), 'mcp_gateway_sessions_active', {});
    // Every test ends its session, so none is open between tests.
    await waitFor(async () => (await sessions()) === 0, {
      timeoutMs: 30_000,
      description: 'no open session on /metrics',
    });
    const { transport, end } = await connect();
    try {
      await waitFor(
        async () => {
          const text = await metricsText();
          return (
            counterValue(text, 'mcp_gateway_upstream_up', { server: 'everything' }) === 1 &&
            counterValue(text, 'mcp_gateway_upstream_up', { server: 'trace-fixture' }) === 1 &&
            counterValue(text, 'mcp_gateway_kafka_consumer_lag', { group: 'audit' }) !== undefined &&
            counterValue(text, 'mcp_gateway_sessions_active', {}) === 1
          );
        },
        { timeoutMs: 60_000, description: 'one session, both upstreams up and the audit lag on /metrics' },
      );
      await transport.terminateSession();
      await waitFor(async () => (await sessions()) === 0, {
        timeoutMs: 30_000,
        description: 'the deleted session to leave mcp_gateway_sessions_active',
      });
    } finally {
      await end();
    }
  });

  it('shows a failing tool’s errors under that tool’s label', async () => {
    const { client, end } = await connect();
    try {
      const failed = await client
        .callTool({ name: 'everything_get-sum', arguments: { a: 'not a number', b: 1 } })
        .catch((error: unknown) => ({ isError: true, content: [{ type: 'text', text: String(error) }] }));
      expect(failed.isError).toBe(true);
      await waitFor(
        async () => {
          const errors = counterValue(await metricsText(), 'mcp_gateway_calls_total', {
            tool: 'everything_get-sum',
            outcome: 'error',
          });
          return errors !== undefined && errors >= 1;
        },
        { timeoutMs: 60_000, description: 'errors under tool="everything_get-sum" on /metrics' },
      );
    } finally {
      await end();
    }
  });

  it('loses no event when Kafka stops while calls are flowing: every call has exactly one audit record', async () => {
    const { client, sessionId, end } = await connect();
    let calls = 0;
    let flowing = true;
    let spooledDuringOutage = 0;
    // Calls keep flowing, one after another, through the whole outage and recovery.
    const traffic = (async () => {
      while (flowing) {
        const result = await client.callTool({
          name: 'everything_echo',
          arguments: { message: `call ${calls}` },
        });
        expect(textOf(result)).toBe(`Echo: call ${calls}`);
        calls += 1;
      }
    })();
    const readiness = async (): Promise<{ status: number; text: string }> => {
      const response = await fetch(`${topology.httpUrl.ingress}/readyz`);
      return { status: response.status, text: await response.text() };
    };
    try {
      await waitFor(() => calls >= 5, { timeoutMs: 30_000, description: 'calls flowing' });
      await kafkaAsync('stop');
      try {
        await waitFor(async () => (await readiness()).status === 503, {
          timeoutMs: 60_000,
          description: 'ingress to report the broker unreachable',
        });
        await waitFor(
          async () => {
            spooledDuringOutage = Number(/(\d+) spooled/.exec((await readiness()).text)?.[1] ?? 0);
            return spooledDuringOutage > 0;
          },
          { timeoutMs: 60_000, description: 'ingress to spool events to disk while calls go on' },
        );
      } finally {
        await kafkaAsync('start');
      }
      await waitFor(async () => (await readiness()).status === 200, {
        timeoutMs: 90_000,
        description: 'ingress to deliver its spool and become ready again',
      });
      const afterRecovery = calls + 5;
      await waitFor(() => calls >= afterRecovery, { timeoutMs: 30_000, description: 'calls after recovery' });
    } finally {
      flowing = false;
      await traffic;
      await end();
    }

    expect(spooledDuringOutage).toBeGreaterThan(0);
    const records = await recordsOnceThere(sessionId, 'tools/call', calls);
    expect(records).toHaveLength(calls);
    expect(new Set(records.map((record) => record.eventId)).size).toBe(calls);
    expect(records.every((record) => record.target === 'everything_echo' && record.outcome === 'ok')).toBe(
      true,
    );
    expect((await audit.verify()).ok).toBe(true);
  });

  it('records a replayed batch of events once', async () => {
    const { client, sessionId, end } = await connect();
    const bus = new KafkaEventBus({ brokers: brokers.split(','), clientId: 'gateway-e2e-replay' });
    try {
      for (let n = 0; n < 3; n += 1)
        await client.callTool({ name: 'everything_echo', arguments: { message: 'x' } });
      const original = await recordsOnceThere(sessionId, 'tools/call', 3);

      // The same events again, then one new event behind them on the same key (same partition):
      // once the new one is recorded, the replayed ones were consumed before it.
      for (const record of original) publishEvent(bus, CallEvent, record.event as CallEventValue);
      const marker = { ...(original[0]!.event as CallEventValue), eventId: randomUUID() };
      publishEvent(bus, CallEvent, marker);
      expect(await bus.flush(30_000)).toBe(0);

      const after = await recordsOnceThere(sessionId, 'tools/call', 4);
      expect(after).toHaveLength(4);
      expect(after.map((record) => record.eventId).sort()).toEqual(
        [...original.map((record) => record.eventId), marker.eventId].sort(),
      );
      expect((await audit.verify()).ok).toBe(true);
    } finally {
      await bus.close();
      await end();
    }
  });

  it('verify names the record altered in Postgres', async () => {
    const { client, sessionId, end } = await connect();
    try {
      await client.callTool({ name: 'everything_echo', arguments: { message: 'tamper with me' } });
      const [record] = await recordsOnceThere(sessionId, 'tools/call', 1);
      expect((await audit.verify()).ok).toBe(true);

      await database.query(`UPDATE audit.records SET outcome = 'error' WHERE event_id = $1`, [
        record!.eventId,
      ]);
      try {
        const report = await audit.verify();
        expect(report.ok).toBe(false);
        expect(report.brokenLink).toMatchObject({
          chain: record!.chain,
          seq: record!.seq,
          eventId: record!.eventId,
        });
      } finally {
        await database.query(`UPDATE audit.records SET outcome = 'ok' WHERE event_id = $1`, [
          record!.eventId,
        ]);
      }
      expect((await audit.verify()).ok).toBe(true);
    } finally {
      await end();
    }
  });

  it('keeps a downstream session when its router is killed mid-session: the next call succeeds', async () => {
    const { client, end } = await connect();
    try {
      const before = await client.callTool({ name: 'everything_get-sum', arguments: { a: 1, b: 2 } });
      expect(textOf(before)).toContain('3');

      const router = topology.processes.get('router')!;
      process.kill(router.pid, 'SIGKILL');
      await router.exit();
      const restarted = topology.start('router');
      await restarted.waitUntilReady(topology.httpUrl.router, 90_000);
      await waitFor(upstreamsReady, {
        timeoutMs: 60_000,
        description: 'the new router to connect both upstreams',
      });
      // ingress notices the router is back on its own probe; no request of the session has been
      // made meanwhile, and the session's upstream sessions died with the old router.
      await waitFor(async () => (await fetch(`${topology.httpUrl.ingress}/readyz`)).status === 200, {
        timeoutMs: 30_000,
        description: 'ingress to see the router again',
      });

      const after = await client.callTool({ name: 'everything_get-sum', arguments: { a: 20, b: 22 } });
      expect(textOf(after)).toContain('42');
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('trace-fixture_request-meta');
    } finally {
      await end();
    }
  });

  it('starts a service while Postgres is down as not-ready, and it becomes ready when Postgres returns', async () => {
    await topology.processes.get('audit')!.stop();
    execFileSync('bash', [join(repositoryRoot, 'infra/local/postgres.sh'), 'stop'], { stdio: 'inherit' });
    let restarted;
    try {
      restarted = topology.start('audit');
      await waitFor(async () => (await fetch(`${topology.httpUrl.audit}/readyz`)).status === 503, {
        timeoutMs: 60_000,
        description: 'audit to answer /readyz with 503 while Postgres is down',
      });
    } finally {
      execFileSync('bash', [join(repositoryRoot, 'infra/local/postgres.sh'), 'start'], { stdio: 'inherit' });
    }
    await restarted.waitUntilReady(topology.httpUrl.audit, 90_000);
  });
});
