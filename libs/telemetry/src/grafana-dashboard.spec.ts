import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CallEvent, InstanceHeartbeat } from '@gateway/contracts';
import { InProcessEventBus } from '@gateway/platform';
import pino from 'pino';
import { FleetMetrics } from './fleet/fleet-metrics';
import { InstanceRegistry } from './fleet/instance-registry';
import { ConsumerLagPoller } from './lag/consumer-lag.poller';
import { CallMetrics, callMetricsViews } from './metrics/call-metrics';
import { MetricsPipeline } from './metrics/metrics-pipeline';
import { parseSamples } from './metrics/prometheus-text.test-helper';

const dashboardPath = join(__dirname, '..', '..', '..', 'infra', 'grafana', 'mcp-gateway.dashboard.json');

interface Dashboard {
  templating: { list: Array<{ type: string; query?: unknown }> };
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
}

const promqlWords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool']);
const promqlOperators = new Set(['and', 'or', 'unless', 'offset']);

/** Metric names and label names an expression refers to. */
function references(expr: string): {
  metrics: string[];
  selectors: Array<[string, string[]]>;
  grouping: string[];
} {
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const selectors = [...unquoted.matchAll(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g)].map(
    ([, metric, matchers]): [string, string[]] => [
      metric!,
      [...matchers!.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map(([, label]) => label!),
    ],
  );
  const grouping = [...unquoted.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap(([, labels]) =>
    labels!.split(',').map((label) => label.trim()),
  );
  const bare = unquoted
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const metrics = [...bare.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)]
    .filter(([token, , call]) => !call && !promqlWords.has(token) && !promqlOperators.has(token))
    .map(([token]) => token);
  return { metrics, selectors, grouping };
}

/** Every sample name the telemetry service exports, with the label names it carries. */
async function exportedMetrics(): Promise<Map<string, Set<string>>> {
  const pipeline = new MetricsPipeline({
    serviceName: 'telemetry',
    instanceId: 't',
    views: callMetricsViews,
  });
  const bus = new InProcessEventBus({ logger: pino({ level: 'silent' }) });
  try {
    const registry = new InstanceRegistry();
    new CallMetrics(pipeline.meter).record(CallEvent.example);
    new FleetMetrics(pipeline, registry);
    registry.apply({ ...InstanceHeartbeat.example, reportedAt: new Date().toISOString() });
    registry.apply({
      service: 'ingress',
      instanceId: 'ingress-0',
      reportedAt: new Date().toISOString(),
      intervalMs: 5_000,
      consumerGroups: [],
      activeSessions: 1,
    });
    const config = {
      instanceId: 't',
      serviceName: 'telemetry',
      callsGroup: 'telemetry',
      lagGroups: ['audit'],
      lagIntervalMs: 60_000,
    };
    const lag = new ConsumerLagPoller(config, bus, registry, pipeline);
    await bus.subscribe({ topic: CallEvent.topic.name, groupId: 'audit' }, () => Promise.resolve());
    await lag.poll();

    const exported = new Map<string, Set<string>>();
    for (const sample of parseSamples(await pipeline.scrape())) {
      const labels = exported.get(sample.name) ?? new Set<string>();
      Object.keys(sample.labels).forEach((label) => labels.add(label));
      exported.set(sample.name, labels);
    }
    return exported;
  } finally {
    await bus.close();
    await pipeline.onApplicationShutdown();
  }
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as Dashboard;
  const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  let exported: Map<string, Set<string>>;

  beforeAll(async () => {
    exported = await exportedMetrics();
  });

  it('has a Prometheus data source variable that every query uses', () => {
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ type: 'datasource', name: 'datasource', query: 'prometheus' }),
    );
    const text = JSON.stringify(dashboard.panels);
    expect(text).not.toMatch(/"uid":"(?!\$\{datasource\})/);
  });

  it('charts request rate, error rate, latency percentiles, upstreams, sessions and consumer lag', () => {
    const all = expressions.join('\n');
    expect(all).toMatch(/rate\(mcp_gateway_calls_total/);
    expect(all).toMatch(/outcome="error"/);
    for (const quantile of ['0.5', '0.9', '0.99']) {
      expect(all).toMatch(new RegExp(`histogram_quantile\\(${quantile}, sum by \\(le, server, tool\\)`));
    }
    for (const metric of [
      'mcp_gateway_upstream_up',
      'mcp_gateway_sessions_active',
      'mcp_gateway_kafka_consumer_lag',
    ]) {
      expect(all).toContain(metric);
    }
  });

  it('queries only metrics the telemetry service exports, with labels they carry', () => {
    expect(expressions.length).toBeGreaterThan(0);
    for (const expr of expressions) {
      const { metrics, selectors, grouping } = references(expr);
      expect(metrics.length).toBeGreaterThan(0);
      for (const metric of metrics)
        expect({ expr, metric, exported: exported.has(metric) }).toEqual({ expr, metric, exported: true });
      for (const [metric, labels] of selectors) {
        for (const label of labels)
          expect({ metric, label, known: exported.get(metric)?.has(label) }).toEqual({
            metric,
            label,
            known: true,
          });
      }
      const labelsInScope = new Set(metrics.flatMap((metric) => [...(exported.get(metric) ?? [])]));
      for (const label of grouping)
        expect({ expr, label, known: labelsInScope.has(label) }).toEqual({ expr, label, known: true });
    }
  });

  it('fills its variables from exported metrics and labels', () => {
    const queries = dashboard.templating.list
      .filter((variable) => variable.type === 'query')
      .map((variable) => (variable.query as { query: string }).query);
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      const match = /^label_values\(([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?, (\w+)\)$/.exec(query);
      expect(match).not.toBeNull();
      expect(exported.get(match![1]!)?.has(match![2]!)).toBe(true);
    }
  });
});
