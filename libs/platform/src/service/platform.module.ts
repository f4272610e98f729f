import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { allTopics } from '@gateway/contracts';
import { HealthController } from '../health/health.controller';
import { ReadinessRegistry } from '../health/readiness.registry';
import { EVENT_BUS, type EventBus } from '../messaging/event-bus';
import { InProcessEventBus } from '../messaging/in-process-event-bus';
import { KafkaEventBus } from '../messaging/kafka-event-bus';
import { createLogger } from '../observability/logger';
import { stopTelemetry } from '../observability/telemetry-bootstrap';

export type BusConfig =
  | {
      kind: 'kafka';
      brokers: readonly string[];
      maxBufferedMessages?: number;
      /** Disk spool behind the memory buffer; each process claims its own directory under root. */
      spool?: { root: string; maxBytes: number };
    }
  | { kind: 'in-process' };

export interface PlatformOptions {
  /** Names the process in logs, Kafka client ids and traces, e.g. "ingress" or "gateway". */
  readonly processName: string;
  readonly bus: BusConfig;
  /** postgres:// URL shared by the services of this process; each uses its own schema. */
  readonly databaseUrl?: string;
}

export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');
export const DATABASE_URL = Symbol('DATABASE_URL');

function createBus(options: PlatformOptions): EventBus {
  if (options.bus.kind === 'in-process') return new InProcessEventBus();
  return new KafkaEventBus({
    brokers: [...options.bus.brokers],
    clientId: `mcp-gateway-${options.processName}`,
    logger: createLogger('event-bus'),
    maxBufferedMessages: options.bus.maxBufferedMessages,
    spool: options.bus.spool && { ...options.bus.spool, name: options.processName },
  });
}

/**
 * What every process has once: the event bus, the database URL, the readiness registry and
 * the /healthz and /readyz endpoints. Service modules inject from it; apps configure it.
 */
@Global()
@Module({})
export class PlatformModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly readiness: ReadinessRegistry,
  ) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        { provide: DATABASE_URL, useValue: options.databaseUrl ?? '' },
        { provide: EVENT_BUS, useFactory: () => createBus(options) },
        ReadinessRegistry,
      ],
      exports: [PLATFORM_OPTIONS, DATABASE_URL, EVENT_BUS, ReadinessRegistry],
    };
  }

  onModuleInit(): void {
    this.readiness.register('event-bus', () => this.bus.health());
    // Topic creation retries in the background while the broker is away; start-up does not wait.
    void this.bus.ensureTopics(allTopics).catch((error: unknown) => {
      createLogger('platform').error({ err: error }, 'could not create topics');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.flush(2_000);
    await this.bus.close();
    await stopTelemetry();
  }
}
