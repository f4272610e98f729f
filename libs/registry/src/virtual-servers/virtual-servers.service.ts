import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { type VirtualServerDefinitionValue, VirtualServerRecord } from '@gateway/contracts';
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
import { CatalogService, REGISTRY_CONFIG } from '../catalog/catalog.service';
import type { RegistryConfig } from '../registry-config';
import {
  VirtualServerNotFoundError,
  VirtualServerRevisionConflictError,
  VirtualServersNotLoadedError,
} from './virtual-server.errors';
import type { VirtualServerSource } from './virtual-server.entity';
import { type DeclaredVirtualServer, parseVirtualServerBody } from './virtual-server-input.schema';
import { type StoredVirtualServer, VirtualServerRepository } from './virtual-server.repository';

/** What the admin API shows: the definition, and who manages it. */
export interface VirtualServerView {
  readonly virtualServer: VirtualServerDefinitionValue;
  readonly source: VirtualServerSource;
  readonly updatedAt: string;
}

export interface VirtualServerPutResult {
  readonly view: VirtualServerView;
  readonly created: boolean;
}

type VirtualServerFields = Omit<DeclaredVirtualServer, 'name'> & { readonly name: string };

/** The record leaves out absent and empty lists alike (the contract gives both one meaning). */
export function toVirtualServerDefinition(
  fields: VirtualServerFields,
  revision: number,
): VirtualServerDefinitionValue {
  const { name, description, servers, tools, resources, prompts } = fields;
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    ...(servers?.length ? { servers } : {}),
    ...(tools?.length ? { tools } : {}),
    ...(resources?.length ? { resources } : {}),
    ...(prompts?.length ? { prompts } : {}),
    revision,
  };
}

function sameDefinition(left: VirtualServerDefinitionValue, right: VirtualServerDefinitionValue): boolean {
  return isDeepStrictEqual(
    JSON.parse(JSON.stringify({ ...left, revision: 0 })),
    JSON.parse(JSON.stringify({ ...right, revision: 0 })),
  );
}

function viewOf(stored: StoredVirtualServer): VirtualServerView {
  return {
    virtualServer: stored.definition,
    source: stored.source,
    updatedAt: stored.updatedAt.toISOString(),
  };
}

/**
 * Owns the virtual servers: applies the config file's at start, serves and changes them for the
 * admin API, and publishes each on the compacted virtual-servers topic. Every change is written
 * to Postgres first, then published, then recorded as an AdminChange.
 */
@Injectable()
export class VirtualServersService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('virtual-servers');
  private current = new Map<string, StoredVirtualServer>();
  private loaded = false;
  private stopped = false;
  private lastError = '';
  /** One change at a time, so the topic's last record per name is the database's row. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repository: VirtualServerRepository,
    private readonly catalog: CatalogService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('registry-virtual-servers', () => ({
      ready: this.loaded,
      detail: this.loaded ? `${this.current.size} virtual servers` : `loading ${this.lastError}`.trim(),
    }));
  }

  onApplicationBootstrap(): void {
    void this.loadWithRetry();
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  list(): VirtualServerView[] {
    this.ensureLoaded();
    return [...this.current.values()]
      .sort((left, right) => left.definition.name.localeCompare(right.definition.name))
      .map(viewOf);
  }

  get(name: string): VirtualServerView {
    this.ensureLoaded();
    const stored = this.current.get(name);
    if (!stored) throw new VirtualServerNotFoundError(name);
    return viewOf(stored);
  }

  /** Creates or replaces one virtual server; it is the API's from then on, even if the file declared it. */
  put(name: string, body: unknown): Promise<VirtualServerPutResult> {
    this.ensureLoaded();
    return this.oneAtATime(async () => {
      const catalogNames = new Set(this.catalog.list().map((server) => server.name));
      const { revision: expected, ...fields } = parseVirtualServerBody(name, body, (server) =>
        catalogNames.has(server),
      );
      const previous = this.current.get(name);
      const currentRevision = previous?.definition.revision ?? 0;
      if (expected !== undefined && expected !== currentRevision) {
        throw new VirtualServerRevisionConflictError(name, expected, currentRevision);
      }
      const candidate = toVirtualServerDefinition(fields, currentRevision + 1);
      if (previous?.source === 'api' && sameDefinition(previous.definition, candidate)) {
        return { view: viewOf(previous), created: false };
      }
      const row: StoredVirtualServer = { definition: candidate, source: 'api', updatedAt: new Date() };
      await this.save(row, Actors.api, previous);
      this.publish(row);
      return { view: viewOf(row), created: previous === undefined };
    });
  }

  delete(name: string): Promise<void> {
    this.ensureLoaded();
    return this.oneAtATime(async () => {
      if (!this.current.has(name)) throw new VirtualServerNotFoundError(name);
      await this.remove(name, Actors.api);
    });
  }

  private ensureLoaded(): void {
    if (!this.loaded) throw new VirtualServersNotLoadedError();
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work);
    this.writes = result.catch(() => undefined);
    return result;
  }

  private async loadWithRetry(): Promise<void> {
    this.loaded = await retryUntilDone(() => this.oneAtATime(() => this.applyDeclared()), {
      stopped: () => this.stopped,
      onFailure: (error, attempt) => {
        this.lastError = errorMessage(error);
        this.logger.warn({ err: error, attempt }, 'virtual servers load failed; retrying');
      },
    });
    if (this.loaded) this.logger.info({ virtualServers: this.current.size }, 'virtual servers loaded');
  }

  /** The file's virtual servers replace the config-sourced rows; the API's rows are kept as they are. */
  private async applyDeclared(): Promise<void> {
    const stored = new Map((await this.repository.list()).map((row) => [row.definition.name, row]));
    this.current = new Map(stored);
    const declaredNames = new Set(this.config.virtualServers.map((declared) => declared.name));
    for (const declared of this.config.virtualServers) {
      const previous = stored.get(declared.name);
      if (previous?.source === 'api') {
        this.logger.warn(
          { virtualServer: declared.name, file: this.config.configFile },
          'virtual server was changed through the admin API; its definition there is kept over the ' +
            "file's (delete it through the API and restart to manage it from the file again)",
        );
        continue;
      }
      const candidate = toVirtualServerDefinition(declared, (previous?.definition.revision ?? 0) + 1);
      if (previous && sameDefinition(previous.definition, candidate)) continue;
      await this.save(
        { definition: candidate, source: 'config', updatedAt: new Date() },
        Actors.config,
        previous,
      );
    }
    for (const [name, row] of stored) {
      if (row.source === 'config' && !declaredNames.has(name)) await this.remove(name, Actors.config);
    }
    // Republished at every start: the topic may have lost records the database still has.
    for (const row of this.current.values()) this.publish(row);
  }

  /** Writes the row and records the change; the caller publishes it. */
  private async save(
    row: StoredVirtualServer,
    actor: string,
    previous: StoredVirtualServer | undefined,
  ): Promise<void> {
    await this.repository.upsert(row);
    this.current.set(row.definition.name, row);
    recordAdminChange(this.bus, {
      actor,
      entityType: 'virtual-server',
      entityId: row.definition.name,
      action: previous ? 'updated' : 'created',
      revision: row.definition.revision,
    });
  }

  private async remove(name: string, actor: string): Promise<void> {
    await this.repository.delete(name);
    this.current.delete(name);
    publishTombstone(this.bus, VirtualServerRecord, name);
    recordAdminChange(this.bus, { actor, entityType: 'virtual-server', entityId: name, action: 'deleted' });
  }

  private publish(row: StoredVirtualServer): void {
    publishEvent(this.bus, VirtualServerRecord, {
      virtualServer: row.definition,
      changedAt: row.updatedAt.toISOString(),
    });
  }
}
