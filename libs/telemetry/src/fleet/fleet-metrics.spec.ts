import type { InstanceHeartbeatValue, UpstreamStatusValue } from '@gateway/contracts';
import { MetricsPipeline } from '../metrics/metrics-pipeline';
import { metricFamilies, samplesOf } from '../metrics/prometheus-text.test-helper';
import { FleetMetrics } from './fleet-metrics';
import { InstanceRegistry } from './instance-registry';

const intervalMs = 5_000;
const start = Date.parse('2026-11-21T10:00:00.000Z');

function upstream(server: string, state: UpstreamStatusValue['state'], restarts = 0): UpstreamStatusValue {
  return { serverId: server, server, transport: 'stdio', state, restarts };
}

describe('FleetMetrics', () => {
  let now: number;
  let registry: InstanceRegistry;
  let pipeline: MetricsPipeline;

  const at = (ms: number): string => new Date(ms).toISOString();
  const router = (instanceId: string, upstreams: UpstreamStatusValue[]): InstanceHeartbeatValue => ({
    service: 'router',
    instanceId,
    reportedAt: at(now),
    intervalMs,
    consumerGroups: [`${instanceId}-catalog`],
    upstreams,
  });
  const ingress = (instanceId: string, activeSessions: number): InstanceHeartbeatValue => ({
    service: 'ingress',
    instanceId,
    reportedAt: at(now),
    intervalMs,
    consumerGroups: [],
    activeSessions,
  });

  beforeEach(() => {
    now = start;
    registry = new InstanceRegistry(() => now);
    pipeline = new MetricsPipeline({ serviceName: 'telemetry', instanceId: 'telemetry-test' });
    new FleetMetrics(pipeline, registry);
  });

  afterEach(() => pipeline.onApplicationShutdown());

  it('exposes upstream state and restarts per router, and sessions summed over ingress replicas', async () => {
    registry.apply(
      router('router-a', [upstream('everything', 'ready', 2), upstream('weather', 'backoff', 7)]),
    );
    registry.apply(router('router-b', [upstream('everything', 'connecting')]));
    registry.apply(ingress('ingress-a', 3));
    registry.apply(ingress('ingress-b', 4));

    const text = await pipeline.scrape();
    expect(text).toContain('mcp_gateway_upstream_up{server="everything",router="router-a"} 1');
    expect(text).toContain('mcp_gateway_upstream_up{server="weather",router="router-a"} 0');
    expect(text).toContain('mcp_gateway_upstream_up{server="everything",router="router-b"} 0');
    expect(text).toContain(
      'mcp_gateway_upstream_state{server="weather",router="router-a",state="backoff"} 1',
    );
    expect(text).toContain('mcp_gateway_upstream_state{server="weather",router="router-a",state="ready"} 0');
    expect(text).toContain('mcp_gateway_upstream_restarts_total{server="weather",router="router-a"} 7');
    expect(text).toContain('mcp_gateway_sessions_active 7');
    expect(text).toContain('mcp_gateway_instances{service="router"} 2');
    expect(metricFamilies(text).get('mcp_gateway_upstream_restarts_total')).toBe('counter');
  });

  it('forgets a replica whose heartbeats stopped for three of its intervals', async () => {
    registry.apply(router('router-a', [upstream('everything', 'ready')]));
    registry.apply(ingress('ingress-a', 3));
    now += 2 * intervalMs;
    registry.apply(ingress('ingress-b', 4));

    now = start + 3 * intervalMs;
    let text = await pipeline.scrape();
    expect(text).toContain('mcp_gateway_upstream_up{server="everything",router="router-a"} 1');
    expect(text).toContain('mcp_gateway_sessions_active 7');

    now += 1;
    text = await pipeline.scrape();
    expect(samplesOf(text, 'mcp_gateway_upstream_up')).toEqual([]);
    expect(samplesOf(text, 'mcp_gateway_upstream_restarts_total')).toEqual([]);
    expect(text).toContain('mcp_gateway_sessions_active 4');
    expect(text).toContain('mcp_gateway_instances{service="router"} 0');
    expect(registry.consumerGroups()).toEqual([]);
  });

  it('drops a replica at once on its tombstone', async () => {
    registry.apply(ingress('ingress-a', 3));
    registry.apply(ingress('ingress-b', 4));
    registry.remove('ingress-a');
    expect(await pipeline.scrape()).toContain('mcp_gateway_sessions_active 4');
  });

  it('takes a heartbeat replayed from the topic as old as it says, not as news', async () => {
    const replayed = {
      ...router('router-dead', [upstream('everything', 'ready')]),
      reportedAt: at(start - 60_000),
    };
    registry.apply(replayed);
    expect(samplesOf(await pipeline.scrape(), 'mcp_gateway_upstream_up')).toEqual([]);
  });

  it('lists the consumer groups the live replicas announce', () => {
    registry.apply(router('router-a', []));
    registry.apply(router('router-b', []));
    registry.apply(ingress('ingress-a', 0));
    expect(registry.consumerGroups().sort()).toEqual(['router-a-catalog', 'router-b-catalog']);
  });
});
