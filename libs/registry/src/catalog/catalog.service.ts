import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { CatalogRecord, type ServerDefinitionValue } from '@gateway/contracts';
import {
  createLogger,
  errorMessage,
  EVENT_BUS,
  type EventBus,
  publishEvent,
  publishTombstone,
  ReadinessRegistry,
  retryUntilDone,
} from '@gateway/platform';
import { Actors, recordAdminChange } from '../admin-change.recorder';
import type { SealedCredential } from '../credentials/server-credential.sealer';
import { ServerCredentialStore } from '../credentials/server-credential.store';
import type { DeclaredServer, RegistryConfig } from '../registry-config';
import { type StoredServer, ServerRepository } from './server.repository';

export const REGISTRY_CONFIG = Symbol('REGISTRY_CONFIG');

const configSource = 'config';

/** Thrown while the catalog has not been loaded from the database yet. */
export class CatalogNotLoadedError extends Error {
  constructor() {
    super('the catalog is not loaded yet (waiting for the database)');
    this.name = 'CatalogNotLoadedError';
  }
}

export function toDefinition(
  declared: DeclaredServer,
  revision: number,
  credentials?: SealedCredential,
): ServerDefinitionValue {
  return {
    id: declared.id,
    name: declared.name ?? declared.id,
    description: declared.description,
    transport: declared.transport,
    stdio: declared.stdio,
    http: declared.http,
    sessions: declared.sessions,
    failMode: declared.failMode,
    timeouts: declared.timeouts,
    healthCheck: declared.healthCheck,
    credentials,
    enabled: declared.enabled,
    revision,
  };
}

function sameDefinition(left: ServerDefinitionValue, right: ServerDefinitionValue): boolean {
  return isDeepStrictEqual(
    JSON.parse(JSON.stringify({ ...left, revision: 0 })),
    JSON.parse(JSON.stringify({ ...right, revision: 0 })),
  );
}

/**
 * Owns the catalog: applies the declarative config to the database at start, keeps the current
 * catalog in memory for the gRPC API, and publishes every server on the compacted catalog topic.
 */
@Injectable()
export class CatalogService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('catalog');
  private servers = new Map<string, ServerDefinitionValue>();
  private loaded = false;
  private stopped = false;
  private lastError = '';

  constructor(
    private readonly repository: ServerRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly credentials: ServerCredentialStore,
  ) {}

  onModuleInit(): void {
    this.readiness.register('registry-catalog', () => ({
      ready: this.loaded,
      detail: this.loaded ? `${this.servers.size} servers` : `loading ${this.lastError}`.trim(),
    }));
  }

  onApplicationBootstrap(): void {
    void this.loadWithRetry();
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  list(): ServerDefinitionValue[] {
    if (!this.loaded) throw new CatalogNotLoadedError();
    return [...this.servers.values()];
  }

  get(id: string): ServerDefinitionValue | undefined {
    return this.list().find((server) => server.id === id);
  }

  /** A server's credential changed (or was removed): its definition gets a new revision, stored and published. */
  async replaceCredentials(
    id: string,
    credentials: SealedCredential | undefined,
  ): Promise<ServerDefinitionValue> {
    const current = this.get(id);
    if (!current) throw new Error(`no server with id "${id}"`);
    const next: ServerDefinitionValue = { ...current, credentials, revision: current.revision + 1 };
    if (!credentials) delete next.credentials;
    await this.repository.updateDefinition(next);
    this.servers.set(id, next);
    publishEvent(this.bus, CatalogRecord, { server: next, changedAt: new Date().toISOString() });
    return next;
  }

  private async loadWithRetry(): Promise<void> {
    this.loaded = await retryUntilDone(() => this.applyDeclaredServers(), {
      stopped: () => this.stopped,
      onFailure: (error, attempt) => {
        this.lastError = errorMessage(error);
        this.logger.warn({ err: error, attempt }, 'catalog load failed; retrying');
      },
    });
    if (this.loaded)
      this.logger.info({ servers: this.servers.size, file: this.config.configFile }, 'catalog loaded');
  }

  private async applyDeclaredServers(): Promise<void> {
    const stored = new Map((await this.repository.list()).map((server) => [server.definition.id, server]));
    const declaredIds = new Set(this.config.servers.map((server) => server.id));
    const credentials = await this.credentials.reconcile([...declaredIds]);
    for (const declared of this.config.servers) {
      await this.applyDeclared(declared, stored.get(declared.id), credentials.get(declared.id));
    }
    for (const [id, server] of stored) {
      if (server.source === configSource && !declaredIds.has(id)) await this.remove(id);
    }
    for (const server of this.servers.values()) {
      publishEvent(this.bus, CatalogRecord, { server, changedAt: new Date().toISOString() });
    }
  }

  private async applyDeclared(
    declared: DeclaredServer,
    stored: StoredServer | undefined,
    credentials: SealedCredential | undefined,
  ): Promise<void> {
    const previous = stored?.definition;
    const candidate = toDefinition(declared, (previous?.revision ?? 0) + 1, credentials);
    if (previous && sameDefinition(previous, candidate)) {
      this.servers.set(previous.id, previous);
      return;
    }
    await this.repository.upsert(candidate, configSource);
    this.servers.set(candidate.id, candidate);
    this.recordChange(candidate.id, previous ? 'updated' : 'created', candidate.revision);
  }

  private async remove(id: string): Promise<void> {
    await this.repository.delete(id);
    this.servers.delete(id);
    publishTombstone(this.bus, CatalogRecord, id);
    this.recordChange(id, 'deleted');
  }

  private recordChange(entityId: string, action: 'created' | 'updated' | 'deleted', revision?: number): void {
    recordAdminChange(this.bus, { actor: Actors.config, entityType: 'server', entityId, action, revision });
  }
}
