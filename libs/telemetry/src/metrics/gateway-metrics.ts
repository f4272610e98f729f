import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallEventValue } from '@gateway/contracts';

const labelNames = ['method', 'server', 'outcome', 'tenant'] as const;

/** Gateway-wide metrics computed from the call events of every ingress replica. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly calls = new Counter({
    name: 'mcp_gateway_calls_total',
    help: 'MCP messages handled by the gateway, by method, upstream server, outcome and tenant',
    labelNames,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'mcp_gateway_call_duration_seconds',
    help: 'Time ingress took to handle an MCP message',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mcp_gateway_telemetry_' });
  }

  record(event: CallEventValue): void {
    const labels = {
      method: event.method,
      server: event.server ?? '',
      outcome: event.outcome,
      tenant: event.tenant,
    };
    this.calls.inc(labels);
    this.latency.observe(labels, event.latencyMs / 1000);
  }
}
