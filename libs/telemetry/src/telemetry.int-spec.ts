import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CallEvent,
  type CallEventValue,
  InstanceHeartbeat,
  type InstanceHeartbeatValue,
} from '@gateway/contracts';
import { KafkaEventBus, publishEvent, publishTombstone } from '@gateway/platform';
import { freePort, OtlpReceiver, repositoryRoot, waitFor } from '@gateway/testing';
import pino from 'pino';
import { samplesOf } from './metrics/prometheus-text.test-helper';

const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const runId = `${Date.now()}-${randomBytes(3).toString('hex')}`;
const logDir = mkdtempSync(join(tmpdir(), 'telemetry-int-'));

/**
 * The telemetry app, compiled on the fly from its sources, in a process of its own: the OTLP
 * exporters load node:http lazily, which jest's module sandbox cannot do.
 */
class TelemetryProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  private readonly exited: Promise<unknown>;

  constructor(
    readonly baseUrl: string,
    name: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.logFile = join(logDir, `${name}.log`);
    const log = createWriteStream(this.logFile);
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/telemetry/src/main.ts'], {
      cwd: repositoryRoot,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  async metrics(): Promise<string> {
    return (await fetch(`${this.baseUrl}/metrics`)).text();
  }

  /** SIGTERM; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

async function startTelemetry(name: string, env: NodeJS.ProcessEnv): Promise<TelemetryProcess> {
  const port = await freePort();
  const telemetry = new TelemetryProcess(`http://127.0.0.1:${port}`, name, {
    GATEWAY_BUS: 'kafka',
    KAFKA_BROKERS: brokers,
    TELEMETRY_HTTP_PORT: String(port),
    TELEMETRY_INSTANCE_ID: `telemetry-${name}-${runId}`,
    TELEMETRY_CALLS_GROUP: `test.${runId}.telemetry-${name}`,
    TELEMETRY_LAG_INTERVAL_MS: '500',
    // Only the telemetry module's own meter provider exports here, not the tracing SDK's.
    OTEL_SDK_DISABLED: 'true',
    LOG_LEVEL: 'info',
    ...env,
  });
  await waitFor(
    async () => {
      if (telemetry.child.exitCode !== null) throw new Error(`exited; see ${telemetry.logFile}`);
      return (await fetch(`${telemetry.baseUrl}/readyz`)).status === 200;
    },
    {
      timeoutMs: 90_000,
      intervalMs: 250,
      description: `telemetry ${name} to be ready (log: ${telemetry.logFile})`,
    },
  );
  return telemetry;
}

function call(overrides: Partial<CallEventValue>): CallEventValue {
  return { ...CallEvent.example, eventId: crypto.randomUUID(), sessionId: `session-${runId}`, ...overrides };
}

/** The fields every heartbeat has; an interval of a minute keeps the replica alive for the test. */
function reported(
  instanceId: string,
): Pick<InstanceHeartbeatValue, 'instanceId' | 'reportedAt' | 'intervalMs' | 'consumerGroups'> {
  return { instanceId, reportedAt: new Date().toISOString(), intervalMs: 60_000, consumerGroups: [] };
}

describe('the telemetry service against Kafka, scraped and pushing OTLP', () => {
  const receiver = new OtlpReceiver();
  const bus = new KafkaEventBus({
    brokers: brokers.split(','),
    clientId: `telemetry-int-${runId}`,
    logger: pino({ level: 'silent' }),
  });
  const running: TelemetryProcess[] = [];
  const tool = `failing-${runId}`;
  const router = `router-${runId}`;

  beforeAll(() => receiver.start());

  // A stopping process leaves its consumer groups one by one (calls, instances, keys, revocations).
  afterAll(async () => {
    await Promise.all(running.map((telemetry) => telemetry.stop()));
    // The instances topic is the real one: without tombstones, the made-up replicas (and their
    // thousand sessions) would count in any telemetry that reads it in the next minutes.
    for (const instanceId of [router, `ingress-${runId}`])
      publishTombstone(bus, InstanceHeartbeat, instanceId);
    await bus.flush(10_000);
    await bus.close();
    await receiver.stop();
  }, 60_000);

  it('turns call events and heartbeats from Kafka into metrics on /metrics and over OTLP/HTTP JSON', async () => {
    const telemetry = await startTelemetry('json', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_METRIC_EXPORT_INTERVAL: '300',
    });
    running.push(telemetry);
    // The calls group is new: it starts at the end of the topic once its offsets are resolved,
    // which comes after it joined (and readiness). Probe until one of its probes is counted, so
    // the events below are surely after its starting point.
    const probe = `probe-${runId}`;
    await waitFor(
      async () => {
        publishEvent(bus, CallEvent, call({ target: probe, outcome: 'ok' }));
        await bus.flush(5_000);
        return samplesOf(await telemetry.metrics(), 'mcp_gateway_calls_total', { tool: probe }).length > 0;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'the calls consumer group to count a probe call' },
    );

    publishEvent(bus, CallEvent, call({ target: tool, outcome: 'error', errorMessage: 'boom' }));
    publishEvent(bus, CallEvent, call({ target: tool, outcome: 'error', errorCode: -32603 }));
    publishEvent(bus, CallEvent, call({ target: tool, outcome: 'ok' }));
    publishEvent(bus, InstanceHeartbeat, {
      ...reported(router),
      service: 'router',
      consumerGroups: [`${router}-catalog`],
      upstreams: [
        { serverId: 'everything', server: 'everything', transport: 'stdio', state: 'ready', restarts: 4 },
      ],
    });
    publishEvent(bus, InstanceHeartbeat, {
      ...reported(`ingress-${runId}`),
      service: 'ingress',
      activeSessions: 1_000,
    });

    const errors = { tool, outcome: 'error' };
    // Calls and heartbeats come from two topics read by two consumer groups, each joining in its
    // own time: wait for both before reading the page.
    await waitFor(
      async () => {
        const page = await telemetry.metrics();
        return (
          samplesOf(page, 'mcp_gateway_calls_total', errors)[0]?.value === 2 &&
          samplesOf(page, 'mcp_gateway_upstream_up', { router }).length > 0 &&
          (samplesOf(page, 'mcp_gateway_sessions_active')[0]?.value ?? 0) >= 1_000
        );
      },
      {
        timeoutMs: 30_000,
        description: `mcp_gateway_calls_total{tool="${tool}",outcome="error"} 2, the router's upstream and the ingress sessions on /metrics`,
      },
    );
    const text = await telemetry.metrics();
    expect(samplesOf(text, 'mcp_gateway_calls_total', { tool, outcome: 'ok' })[0]?.value).toBe(1);
    expect(samplesOf(text, 'mcp_gateway_upstream_up', { router })).toEqual([
      { name: 'mcp_gateway_upstream_up', labels: { server: 'everything', router }, value: 1 },
    ]);
    expect(samplesOf(text, 'mcp_gateway_upstream_restarts_total', { router })[0]?.value).toBe(4);
    expect(samplesOf(text, 'mcp_gateway_sessions_active')[0]?.value).toBeGreaterThanOrEqual(1_000);

    await waitFor(() => receiver.pointsOf('mcp_gateway_calls', errors).some((point) => point.value === 2), {
      timeoutMs: 15_000,
      description: 'the failed calls of the tool on the OTLP receiver',
    });
    expect(receiver.pointsOf('mcp_gateway_calls', errors).at(-1)).toMatchObject({
      service: 'telemetry',
      kind: 'sum',
    });
    expect(receiver.pointsOf('mcp_gateway_call_duration_seconds', errors).at(-1)).toMatchObject({
      kind: 'histogram',
      unit: 's',
      value: 2,
    });
    expect(receiver.pointsOf('mcp_gateway_upstream_up', { router }).at(-1)?.value).toBe(1);

    await waitFor(
      async () => {
        const lag = samplesOf(await telemetry.metrics(), 'mcp_gateway_kafka_consumer_lag', {
          group: `test.${runId}.telemetry-json`,
          topic: CallEvent.topic.name,
        });
        return lag.length > 0 && lag.every((sample) => sample.value === 0);
      },
      { timeoutMs: 30_000, description: 'the lag of the calls group, caught up, on /metrics' },
    );

    publishTombstone(bus, InstanceHeartbeat, router);
    await waitFor(
      async () => samplesOf(await telemetry.metrics(), 'mcp_gateway_upstream_up', { router }).length === 0,
      {
        timeoutMs: 30_000,
        description: 'the router to be forgotten after its tombstone',
      },
    );
    expect(receiver.rejected).toEqual([]);
  }, 180_000);

  it('pushes what is left when it shuts down, over OTLP/HTTP protobuf by default', async () => {
    // An interval of ten minutes: the only export this test can see is the one at shutdown.
    const telemetry = await startTelemetry('protobuf', {
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.endpoint}/v1/metrics`,
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    });
    running.push(telemetry);
    const protobufRequests = (): number =>
      receiver.metricRequests.filter((request) => request.contentType === 'application/x-protobuf').length;
    expect(protobufRequests()).toBe(0);

    await telemetry.stop();
    expect(protobufRequests()).toBe(1);
  }, 180_000);
});
