import { CallEvent } from '@gateway/contracts';
import { GatewayMetrics } from './gateway-metrics';

describe('GatewayMetrics', () => {
  it('counts call events by method, server and outcome', async () => {
    const metrics = new GatewayMetrics();
    metrics.record(CallEvent.example);
    metrics.record(CallEvent.example);
    metrics.record({ ...CallEvent.example, outcome: 'error', errorCode: -32010 });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'mcp_gateway_calls_total{method="tools/call",server="everything",outcome="ok",tenant="default"} 2',
    );
    expect(text).toContain(
      'mcp_gateway_calls_total{method="tools/call",server="everything",outcome="error",tenant="default"} 1',
    );
    expect(text).toMatch(/mcp_gateway_call_duration_seconds_count\{[^}]*outcome="ok"[^}]*\} 2/);
  });
});
