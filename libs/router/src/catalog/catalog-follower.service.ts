import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import {
  CatalogRecord,
  GrpcPackages,
  RegistryApi,
  type ServerCredentialKind,
  type ServerDefinitionValue,
  type VirtualServerDefinitionValue,
  VirtualServerRecord,
} from '@gateway/contracts';
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
import { DispatchService } from '../dispatch/dispatch.service';
import { ViewDirectory } from './view-directory';
import { UpstreamPool } from '../upstream/upstream-pool';

/** proto-loader decodes an absent message as null and an absent list as []; the contract has them undefined. */
export function fromProtoServer(server: RegistryApi.ServerDefinition): ServerDefinitionValue {
  const { stdio, http, timeouts, healthCheck, credentials } = server;
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
    credentials: credentials
      ? { kind: credentials.kind as ServerCredentialKind, sealed: credentials.sealed }
      : undefined,
    enabled: server.enabled,
    revision: server.revision,
  };
}

export function fromProtoVirtualServer(
  view: RegistryApi.VirtualServerDefinition,
): VirtualServerDefinitionValue {
  const optional = (value: string | undefined): string | undefined => value || undefined;
  return {
    name: view.name,
    description: optional(view.description),
    servers: view.servers,
    tools: view.tools.map((tool) => ({
      server: tool.server,
      name: tool.name,
      alias: optional(tool.alias),
      description: optional(tool.description),
    })),
    resources: view.resources.map((resource) => ({ server: resource.server, uri: resource.uri })),
    prompts: view.prompts.map((prompt) => ({
      server: prompt.server,
      name: prompt.name,
      alias: optional(prompt.alias),
      description: optional(prompt.description),
    })),
    revision: Number(view.revision),
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
  private viewSubscription: Subscription | undefined;

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly pool: UpstreamPool,
    private readonly readiness: ReadinessRegistry,
    private readonly dispatcher: DispatchService,
    private readonly views: ViewDirectory,
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
    await this.viewSubscription?.close();
  }

  private async follow(): Promise<void> {
    await this.loadSnapshot();
    if (this.stopped) return;
    this.viewSubscription = await this.bus.subscribe(
      {
        topic: VirtualServerRecord.topic.name,
        groupId: `${this.config.instanceId}-virtual-servers`,
        fromBeginning: true,
      },
      async (message) => {
        const record = parseStateRecord(VirtualServerRecord, message);
        if (record) this.views.apply(record.virtualServer);
        else this.views.remove(message.key);
      },
    );
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
        this.dispatcher.syncSources();
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
        this.dispatcher.syncSources();
        const { virtualServers } = await lastValueFrom(registry.listVirtualServers({}));
        for (const view of virtualServers) this.views.apply(fromProtoVirtualServer(view));
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
