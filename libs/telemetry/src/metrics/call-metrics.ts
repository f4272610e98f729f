import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import type { CallEventValue } from '@gateway/contracts';
import { methodLabel } from './method-label';

const callsName = 'mcp_gateway_calls';
const durationName = 'mcp_gateway_call_duration_seconds';

/** From well under a millisecond (cached lists, denials) to the router's 30 s call timeout range. */
export const callDurationBuckets = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * Tool names come from agents and tenants from credentials, so a label set can grow with them;
 * past the limit the SDK folds new label sets into one otel_metric_overflow="true" series
 * instead of growing without bound. 5,000 holds e.g. 10 tenants x 100 tools x 5 outcomes/methods.
 */
export const callMetricsViews: ViewOptions[] = [callsName, durationName].map((instrumentName) => ({
  instrumentName,
  aggregationCardinalityLimit: 5_000,
}));

/**
 * The labels of a call. tool is the tool an agent called, and empty for every other method, so
 * resource URIs and prompt names (unbounded) never become label values.
 */
export function callAttributes(event: CallEventValue): Attributes {
  return {
    server: event.server ?? '',
    tool: event.method === 'tools/call' ? (event.target ?? '') : '',
    method: methodLabel(event.method),
    tenant: event.tenant,
    outcome: event.outcome,
  };
}

/** Request rate, error rate and latency of every MCP message the ingress replicas handled. */
export class CallMetrics {
  private readonly calls: Counter;
  private readonly duration: Histogram;

  constructor(meter: Meter) {
    this.calls = meter.createCounter(callsName, {
      description: 'MCP messages handled by the gateway, by server, tool, method, tenant and outcome',
    });
    this.duration = meter.createHistogram(durationName, {
      description: 'Time ingress took to handle an MCP message, by server, tool, method, tenant and outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: callDurationBuckets },
    });
  }

  record(event: CallEventValue): void {
    const attributes = callAttributes(event);
    this.calls.add(1, attributes);
    this.duration.record(event.latencyMs / 1000, attributes);
  }
}
