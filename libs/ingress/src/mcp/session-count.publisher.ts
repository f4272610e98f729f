import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_BUS, type EventBus, InstanceHeartbeatPublisher } from '@gateway/platform';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { DownstreamSessions } from '../sessions/downstream-sessions.service';

/**
 * Reports how many downstream sessions this replica holds on mcp.gateway.instances.v1;
 * telemetry sums them over the live replicas. The tombstone goes out in onModuleDestroy,
 * before the platform flushes and closes the bus.
 */
@Injectable()
export class SessionCountPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly heartbeat: InstanceHeartbeatPublisher;

  constructor(
    @Inject(INGRESS_CONFIG) config: IngressConfig,
    @Inject(EVENT_BUS) bus: EventBus,
    sessions: DownstreamSessions,
  ) {
    this.heartbeat = new InstanceHeartbeatPublisher({
      bus,
      instanceId: config.instanceId,
      intervalMs: config.heartbeatIntervalMs,
      consumerGroups: [],
      status: () => ({ service: 'ingress', activeSessions: sessions.size }),
    });
  }

  onApplicationBootstrap(): void {
    this.heartbeat.start();
  }

  onModuleDestroy(): void {
    this.heartbeat.stop();
  }
}
