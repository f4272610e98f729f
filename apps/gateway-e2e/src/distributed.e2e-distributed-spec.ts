import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { OtlpReceiver, repositoryRoot, waitFor } from '@gateway/testing';
import { type DistributedTopology, services, startDistributedTopology } from './distributed-topology';
import { connectClient, counterValue } from './mcp-client';

jest.setTimeout(300_000);

const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://gateway:gateway@127.0.0.1:55432/gateway';

interface AuditRow {
  event_id: string;
  method: string;
  outcome: string;
  server: string | null;
  target: string | null;
  trace_id: string | null;
}

function kafka(command: 'start' | 'stop'): void {
  execFileSync('bash', [join(repositoryRoot, 'infra/local/kafka.sh'), command], { stdio: 'inherit' });
}

describe('distributed topology: seven processes, Apache Kafka, Postgres', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'gateway-e2e-distributed-'));
  const otlp = new OtlpReceiver();
  // A pool reconnects by itself: one test stops and restarts Postgres.
  const database = new Pool({ connectionString: databaseUrl, max: 2 });
  let topology: DistributedTopology;

  async function auditRows(sessionId: string, method: string): Promise<AuditRow[]> {
    const { rows } = await database.query<AuditRow>(
      'SELECT event_id, method, outcome, server, target, trace_id FROM audit.call_events WHERE session_id = $1 AND method = $2',
      [sessionId, method],
    );
    return rows;
  }

  async function everythingConnected(): Promise<boolean> {
    const response = await fetch(`${topology.httpUrl.router}/api/v1/upstreams`);
    const { upstreams } = (await response.json()) as { upstreams: Array<{ name: string; state: string }> };
    return upstreams.some((upstream) => upstream.name === 'everything' && upstream.state === 'ready');
  }

  beforeAll(async () => {
    await otlp.start();
    database.on('error', () => undefined);
    topology = await startDistributedTopology({ logDir, otlpEndpoint: otlp.endpoint });
    for (const service of services) {
      await topology.processes.get(service)!.waitUntilReady(topology.httpUrl[service], 120_000);
    }
    await waitFor(everythingConnected, {
      timeoutMs: 60_000,
      description: 'router to connect server-everything',
    });
  });

  afterAll(async () => {
    await topology?.stop();
    await database.end().catch(() => undefined);
    await otlp.stop();
  });

  it('calls a tool end to end: result, audit row in Postgres, /metrics counter, one trace across services', async () => {
    const { client, sessionId } = await connectClient(topology.mcpUrl);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('get-sum');
      const result = await client.callTool({ name: 'get-sum', arguments: { a: 19, b: 23 } });
      expect(JSON.stringify(result.content)).toContain('42');

      const [row] = await waitFor(
        async () => {
          const rows = await auditRows(sessionId, 'tools/call');
          return rows.length > 0 ? rows : undefined;
        },
        { timeoutMs: 60_000, description: 'the audit row of the tools/call in Postgres' },
      );
      expect(row).toMatchObject({ outcome: 'ok', server: 'everything', target: 'get-sum' });
      expect(row!.trace_id).toMatch(/^[0-9a-f]{32}$/);

      await waitFor(
        async () => {
          const metrics = await (await fetch(`${topology.httpUrl.telemetry}/metrics`)).text();
          const calls = counterValue(metrics, 'mcp_gateway_calls_total', {
            method: 'tools/call',
            server: 'everything',
            outcome: 'ok',
          });
          return calls !== undefined && calls >= 1;
        },
        { timeoutMs: 60_000, description: 'the tools/call counter on telemetry /metrics' },
      );

      const traceServices = await waitFor(
        () => {
          const found = new Set(otlp.spansOfTrace(row!.trace_id!).map((span) => span.service));
          return ['ingress', 'router', 'audit'].every((service) => found.has(service)) ? found : undefined;
        },
        { timeoutMs: 30_000, description: `spans of ingress, router and audit in trace ${row!.trace_id}` },
      );
      expect([...traceServices]).toEqual(expect.arrayContaining(['ingress', 'router', 'audit']));
    } finally {
      await client.close();
    }
  });

  it('keeps serving calls while Kafka is down and delivers their events once it is back', async () => {
    const { client, sessionId } = await connectClient(topology.mcpUrl);
    try {
      kafka('stop');
      try {
        await waitFor(async () => (await fetch(`${topology.httpUrl.ingress}/readyz`)).status === 503, {
          timeoutMs: 60_000,
          description: 'ingress to report not-ready without Kafka',
        });
        const result = await client.callTool({ name: 'echo', arguments: { message: 'kafka is down' } });
        expect(result.content).toEqual([{ type: 'text', text: 'Echo: kafka is down' }]);
        expect(await auditRows(sessionId, 'tools/call')).toEqual([]);
      } finally {
        kafka('start');
      }
      await waitFor(async () => (await fetch(`${topology.httpUrl.ingress}/readyz`)).status === 200, {
        timeoutMs: 90_000,
        description: 'ingress to become ready again without a restart',
      });
      const rows = await waitFor(
        async () => {
          const found = await auditRows(sessionId, 'tools/call');
          return found.length > 0 ? found : undefined;
        },
        { timeoutMs: 90_000, description: 'the buffered event to reach the audit trail' },
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: 'ok', target: 'echo' });
    } finally {
      await client.close();
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
