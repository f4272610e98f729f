import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InstanceHeartbeat } from '@gateway/contracts';
import { EVENT_BUS, type EventBus, parseStateRecord, type Subscription } from '@gateway/platform';
import { TELEMETRY_CONFIG, type TelemetryConfig } from '../telemetry-config';
import { InstanceRegistry } from './instance-registry';

/**
 * Feeds the instance registry from mcp.gateway.instances.v1. Every telemetry replica exposes the
 * whole fleet, so each reads the whole topic in a group of its own, from the start.
 */
@Injectable()
export class InstanceHeartbeatConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(
    @Inject(TELEMETRY_CONFIG) private readonly config: TelemetryConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly registry: InstanceRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      {
        topic: InstanceHeartbeat.topic.name,
        groupId: `${this.config.instanceId}-instances`,
        fromBeginning: true,
      },
      async (message) => {
        const heartbeat = parseStateRecord(InstanceHeartbeat, message);
        if (heartbeat) this.registry.apply(heartbeat);
        else this.registry.remove(message.key);
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }
}
