import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { ServerDefinitionValue } from '@gateway/contracts';
import { createLogger } from '@gateway/platform';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import { type ClientTransportFactory, UPSTREAM_TRANSPORT_FACTORY } from './client-transport.factory';
import { UpstreamConnection } from './upstream-connection';
import {
  UPSTREAM_POOL_OPTIONS,
  upstreamPoolOptions,
  type UpstreamPoolOptions,
  type UpstreamPoolOverrides,
} from './upstream-pool.options';
import type { SessionListener, UpstreamServer } from './upstream-session';

/** A server was added or replaced (`server`), or removed (undefined). */
export type ServersChangedListener = (serverId: string, server: UpstreamServer | undefined) => void;

/** The upstream servers of this router replica, one supervised connection per enabled server. */
@Injectable()
export class UpstreamPool implements OnApplicationShutdown {
  private readonly logger = createLogger('upstream-pool');
  private readonly connections = new Map<string, UpstreamConnection>();
  private readonly options: UpstreamPoolOptions;
  private listener: SessionListener | undefined;
  private readonly changeListeners = new Set<ServersChangedListener>();

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Optional() @Inject(UPSTREAM_POOL_OPTIONS) overrides?: UpstreamPoolOverrides,
    @Optional() @Inject(UPSTREAM_TRANSPORT_FACTORY) private readonly createTransport?: ClientTransportFactory,
  ) {
    this.options = upstreamPoolOptions(overrides);
  }

  /** Where upstream traffic that belongs to no running request goes (one listener per pool). */
  setSessionListener(listener: SessionListener | undefined): void {
    this.listener = listener;
  }

  /** Calls `listener` whenever a server is added, replaced or removed; returns the unsubscribe. */
  onServersChanged(listener: ServersChangedListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Applies a server definition; older revisions than the one held are ignored. */
  async apply(definition: ServerDefinitionValue): Promise<void> {
    const current = this.connections.get(definition.id);
    if (current && current.definition.revision >= definition.revision) return;
    await this.remove(definition.id);
    if (!definition.enabled) return;
    const connection = new UpstreamConnection(definition, {
      connectTimeoutMs: this.config.connectTimeoutMs,
      restartBackoff: this.config.restartBackoff,
      logger: this.logger,
      pool: this.options,
      listener: () => this.listener,
      createTransport: this.createTransport,
      cipher: this.config.credentialCipher,
    });
    this.connections.set(definition.id, connection);
    connection.start();
    this.changed(definition.id, connection);
  }

  async remove(id: string): Promise<void> {
    const connection = this.connections.get(id);
    if (!connection) return;
    this.connections.delete(id);
    this.changed(id, undefined);
    await connection.stop();
  }

  all(): UpstreamConnection[] {
    return [...this.connections.values()];
  }

  get(id: string): UpstreamConnection | undefined {
    return this.connections.get(id);
  }

  private changed(serverId: string, server: UpstreamServer | undefined): void {
    for (const listener of this.changeListeners) {
      try {
        listener(serverId, server);
      } catch (error) {
        this.logger.error({ err: error, serverId }, 'servers-changed listener failed');
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((connection) => connection.stop()));
    this.connections.clear();
  }
}
