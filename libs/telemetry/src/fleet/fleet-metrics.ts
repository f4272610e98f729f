import { type InstanceHeartbeatValue, upstreamState } from '@gateway/contracts';
import type { MetricsPipeline } from '../metrics/metrics-pipeline';
import type { StatePoint } from '../metrics/state-metrics.producer';
import type { InstanceRegistry, LiveInstance } from './instance-registry';

type RouterHeartbeat = Extract<InstanceHeartbeatValue, { service: 'router' }>;

interface RouterInstance extends LiveInstance {
  readonly heartbeat: RouterHeartbeat;
}

function isRouter(instance: LiveInstance): instance is RouterInstance {
  return instance.heartbeat.service === 'router';
}

/** One point per upstream connection of every live router replica. */
function perUpstream(
  instances: readonly LiveInstance[],
  point: (instance: RouterInstance, upstream: RouterHeartbeat['upstreams'][number]) => StatePoint[],
): StatePoint[] {
  return instances
    .filter(isRouter)
    .flatMap((instance) => instance.heartbeat.upstreams.flatMap((upstream) => point(instance, upstream)));
}

/**
 * Fleet-wide gauges from the heartbeats of the live replicas: which upstream each router
 * reaches, how often it reconnected, and the sessions open over all ingress replicas.
 */
export class FleetMetrics {
  constructor(pipeline: MetricsPipeline, registry: InstanceRegistry) {
    pipeline.registerState({
      name: 'mcp_gateway_upstream_up',
      description: '1 when the router replica has a ready connection to the upstream server, else 0',
      kind: 'gauge',
      observe: () =>
        perUpstream(registry.live(), ({ heartbeat }, upstream) => [
          {
            attributes: { server: upstream.server, router: heartbeat.instanceId },
            value: upstream.state === 'ready' ? 1 : 0,
          },
        ]),
    });
    pipeline.registerState({
      name: 'mcp_gateway_upstream_state',
      description: 'Connection state of each upstream per router replica: 1 for the current state, else 0',
      kind: 'gauge',
      observe: () =>
        perUpstream(registry.live(), ({ heartbeat }, upstream) =>
          upstreamState.options.map((state) => ({
            attributes: { server: upstream.server, router: heartbeat.instanceId, state },
            value: upstream.state === state ? 1 : 0,
          })),
        ),
    });
    pipeline.registerState({
      // A connection re-created by a catalog change counts from zero again: a counter reset.
      name: 'mcp_gateway_upstream_restarts',
      description: 'Reconnects of each upstream connection per router replica',
      kind: 'counter',
      observe: () =>
        perUpstream(registry.live(), ({ heartbeat, firstSeenAtMs }, upstream) => [
          {
            attributes: { server: upstream.server, router: heartbeat.instanceId },
            value: upstream.restarts,
            startTimeMs: firstSeenAtMs,
          },
        ]),
    });
    pipeline.registerState({
      name: 'mcp_gateway_sessions_active',
      description: 'Downstream MCP sessions open, summed over the live ingress replicas',
      kind: 'gauge',
      observe: () => [{ attributes: {}, value: activeSessions(registry.live()) }],
    });
    pipeline.registerState({
      name: 'mcp_gateway_instances',
      description: 'Live router and ingress replicas (those whose heartbeats are current)',
      kind: 'gauge',
      observe: () => instanceCounts(registry.live()),
    });
  }
}

function activeSessions(instances: readonly LiveInstance[]): number {
  return instances.reduce(
    (sum, { heartbeat }) => sum + (heartbeat.service === 'ingress' ? heartbeat.activeSessions : 0),
    0,
  );
}

function instanceCounts(instances: readonly LiveInstance[]): StatePoint[] {
  const services: InstanceHeartbeatValue['service'][] = ['router', 'ingress'];
  return services.map((service) => ({
    attributes: { service },
    value: instances.filter(({ heartbeat }) => heartbeat.service === service).length,
  }));
}
