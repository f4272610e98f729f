import { CallEvent, type CallEventValue } from '@gateway/contracts';
import { CallMetrics, callMetricsViews } from './call-metrics';
import { MetricsPipeline } from './metrics-pipeline';
import { metricFamilies, samplesOf } from './prometheus-text.test-helper';

const call = (overrides: Partial<CallEventValue>): CallEventValue => ({ ...CallEvent.example, ...overrides });

describe('CallMetrics', () => {
  let pipeline: MetricsPipeline;
  let metrics: CallMetrics;

  beforeEach(() => {
    pipeline = new MetricsPipeline({
      serviceName: 'telemetry',
      instanceId: 'telemetry-test',
      views: callMetricsViews,
    });
    metrics = new CallMetrics(pipeline.meter);
  });

  afterEach(() => pipeline.onApplicationShutdown());

  it('exposes mcp_gateway_calls_total and mcp_gateway_call_duration_seconds under those exact names', async () => {
    metrics.record(CallEvent.example);
    const families = metricFamilies(await pipeline.scrape());
    expect(families.get('mcp_gateway_calls_total')).toBe('counter');
    expect(families.get('mcp_gateway_call_duration_seconds')).toBe('histogram');
  });

  it('counts calls by server, tool, method, tenant and outcome', async () => {
    metrics.record(CallEvent.example);
    metrics.record(CallEvent.example);
    metrics.record(call({ outcome: 'denied', tenant: 'acme' }));

    const text = await pipeline.scrape();
    expect(text).toContain(
      'mcp_gateway_calls_total{server="everything",tool="echo",method="tools/call",tenant="default",outcome="ok"} 2',
    );
    expect(samplesOf(text, 'mcp_gateway_calls_total', { tenant: 'acme', outcome: 'denied' })).toEqual([
      expect.objectContaining({ value: 1 }),
    ]);
  });

  it('counts a failing tool’s errors under that tool’s label', async () => {
    metrics.record(call({ target: 'get-sum' }));
    metrics.record(call({ target: 'x', outcome: 'error', errorMessage: 'boom' }));
    metrics.record(call({ target: 'x', outcome: 'error', errorCode: -32603 }));

    const text = await pipeline.scrape();
    expect(text).toContain(
      'mcp_gateway_calls_total{server="everything",tool="x",method="tools/call",tenant="default",outcome="error"} 2',
    );
    expect(samplesOf(text, 'mcp_gateway_calls_total', { tool: 'get-sum', outcome: 'error' })).toEqual([]);
    expect(samplesOf(text, 'mcp_gateway_calls_total', { tool: 'x', outcome: 'ok' })).toEqual([]);
  });

  it('leaves the tool label empty for methods other than tools/call, and bounds the method label', async () => {
    metrics.record(call({ method: 'resources/read', target: 'file:///etc/hosts' }));
    metrics.record(call({ method: 'tools/list', target: undefined, server: undefined }));
    metrics.record(call({ method: 'made/up-by-an-agent', target: undefined }));

    const text = await pipeline.scrape();
    expect(samplesOf(text, 'mcp_gateway_calls_total', { method: 'resources/read' })).toEqual([
      expect.objectContaining({ labels: expect.objectContaining({ tool: '', server: 'everything' }) }),
    ]);
    expect(samplesOf(text, 'mcp_gateway_calls_total', { method: 'tools/list' })).toEqual([
      expect.objectContaining({ labels: expect.objectContaining({ tool: '', server: '' }) }),
    ]);
    expect(samplesOf(text, 'mcp_gateway_calls_total', { method: 'other' })).toHaveLength(1);
    expect(text).not.toContain('made/up-by-an-agent');
    expect(text).not.toContain('file:///etc/hosts');
  });

  it('records latency in seconds, in buckets from half a millisecond to 30 s', async () => {
    metrics.record(call({ latencyMs: 3.2 }));
    metrics.record(call({ latencyMs: 12_000 }));

    const text = await pipeline.scrape();
    const buckets = samplesOf(text, 'mcp_gateway_call_duration_seconds_bucket', { outcome: 'ok' });
    const le = (bound: string): number | undefined =>
      buckets.find((bucket) => bucket.labels['le'] === bound)?.value;
    expect(buckets.map((bucket) => bucket.labels['le'])).toEqual([
      ...['0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5'],
      ...['1', '2.5', '5', '10', '30', '+Inf'],
    ]);
    expect([le('0.0025'), le('0.005'), le('10'), le('30')]).toEqual([0, 1, 1, 2]);
    expect(samplesOf(text, 'mcp_gateway_call_duration_seconds_sum')[0]?.value).toBeCloseTo(12.0032, 6);
    expect(samplesOf(text, 'mcp_gateway_call_duration_seconds_count')[0]?.value).toBe(2);
  });
});
