import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { InstanceStatus, UpstreamStatusValue } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, InstanceHeartbeatPublisher } from '@gateway/platform';
import { catalogGroupId } from '../catalog/catalog-follower.service';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import type { UpstreamConnection } from './upstream-connection';
import { UpstreamPool } from './upstream-pool';

function upstreamStatus(connection: UpstreamConnection): UpstreamStatusValue {
  return {
    serverId: connection.definition.id,
    server: connection.name,
    transport: connection.definition.transport,
    state: connection.state,
    restarts: connection.restarts,
    lastError: connection.lastError || undefined,
  };
}

/**
 * Reports this replica's upstream connections on mcp.gateway.instances.v1, so telemetry can
 * show which servers each router reaches. The tombstone goes out in onModuleDestroy, before
 * the platform flushes and closes the bus.
 */
@Injectable()
export class UpstreamHealthPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly heartbeat: InstanceHeartbeatPublisher;

  constructor(
    @Inject(ROUTER_CONFIG) config: RouterConfig,
    @Inject(EVENT_BUS) bus: EventBus,
    private readonly pool: UpstreamPool,
  ) {
    this.heartbeat = new InstanceHeartbeatPublisher({
      bus,
      instanceId: config.instanceId,
      intervalMs: config.heartbeatIntervalMs,
      consumerGroups: [catalogGroupId(config.instanceId)],
      status: () => this.status(),
    });
  }

  onApplicationBootstrap(): void {
    this.heartbeat.start();
  }

  onModuleDestroy(): void {
    this.heartbeat.stop();
  }

  private status(): InstanceStatus {
    return { service: 'router', upstreams: this.pool.all().map(upstreamStatus) };
  }
}
