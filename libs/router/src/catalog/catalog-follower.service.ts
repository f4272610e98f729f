import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { CatalogRecord, GrpcPackages, RegistryApi, type ServerDefinitionValue } from '@gateway/contracts';
import {
  createGrpcClient,
  createLogger,
  errorMessage,
  EVENT_BUS,
  type EventBus,
  parseStateRecord,
  ReadinessRegistry,
  retryUntilDone,
  type Subscription,
} from '@gateway/platform';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import { UpstreamPool } from '../upstream/upstream-pool';

/** proto-loader decodes an absent message as null and an absent list as []; the contract has them undefined. */
export function fromProtoServer(server: RegistryApi.ServerDefinition): ServerDefinitionValue {
  const { stdio, http, timeouts, healthCheck } = server;
  return {
    id: server.id,
    name: server.name,
    description: server.description || undefined,
    transport: server.transport as ServerDefinitionValue['transport'],
    stdio: stdio ? { ...stdio, cwd: stdio.cwd || undefined } : undefined,
    http: http
      ? { url: http.url, headers: http.headers, replicas: http.replicas?.length ? http.replicas : undefined }
      : undefined,
    sessions: (server.sessions || undefined) as ServerDefinitionValue['sessions'],
    failMode: (server.failMode || undefined) as ServerDefinitionValue['failMode'],
    timeouts: timeouts ? { callMs: timeouts.callMs, listMs: timeouts.listMs } : undefined,
    healthCheck: healthCheck
      ? { intervalMs: healthCheck.intervalMs, timeoutMs: healthCheck.timeoutMs }
      : undefined,
    enabled: server.enabled,
    revision: server.revision,
  };
}

/** Every router replica follows the whole catalog, so each has its own consumer group. */
export function catalogGroupId(instanceId: string): string {
  return `${instanceId}-catalog`;
}

/**
 * Keeps this replica's upstream connections in line with the catalog: a snapshot from the
 * registry over gRPC at start, then every change from the compacted catalog topic.
 */
@Injectable()
export class CatalogFollower implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('catalog-follower');
  private snapshotLoaded = false;
  private lastError = '';
  private stopped = false;
  private subscription: Subscription | undefined;

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly pool: UpstreamPool,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('upstream-catalog', () => ({
      ready: this.snapshotLoaded,
      detail: this.snapshotLoaded
        ? `${this.pool.all().length} upstreams`
        : `waiting for registry ${this.lastError}`.trim(),
    }));
  }

  onApplicationBootstrap(): void {
    void this.follow();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
  }

  private async follow(): Promise<void> {
    await this.loadSnapshot();
    if (this.stopped) return;
    this.subscription = await this.bus.subscribe(
      {
        topic: CatalogRecord.topic.name,
        groupId: catalogGroupId(this.config.instanceId),
        fromBeginning: true,
      },
      async (message) => {
        const record = parseStateRecord(CatalogRecord, message);
        await (record ? this.pool.apply(record.server) : this.pool.remove(message.key));
      },
    );
  }

  private async loadSnapshot(): Promise<void> {
    const registry = createGrpcClient<RegistryApi.RegistryServiceClient>(
      GrpcPackages.registry,
      this.config.registryGrpcAddress,
    );
    this.snapshotLoaded = await retryUntilDone(
      async () => {
        const reply = await lastValueFrom(registry.listServers({}));
        await Promise.all(reply.servers.map((server) => this.pool.apply(fromProtoServer(server))));
        this.logger.info({ servers: reply.servers.length }, 'catalog snapshot loaded');
      },
      {
        stopped: () => this.stopped,
        onFailure: (error, attempt) => {
          this.lastError = errorMessage(error);
          this.logger.warn({ attempt, error: this.lastError }, 'registry not reachable; retrying');
        },
      },
    );
  }
}
