import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ServerDefinitionValue } from '@gateway/contracts';
import { createLogger } from '@gateway/platform';
import { ROUTER_CONFIG, type RouterConfig } from '../router-config';
import { UpstreamConnection } from './upstream-connection';

/** The supervised connections of this router replica, one per enabled upstream server. */
@Injectable()
export class UpstreamPool implements OnApplicationShutdown {
  private readonly logger = createLogger('upstream-pool');
  private readonly connections = new Map<string, UpstreamConnection>();

  constructor(@Inject(ROUTER_CONFIG) private readonly config: RouterConfig) {}

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
    });
    this.connections.set(definition.id, connection);
    connection.start();
  }

  async remove(id: string): Promise<void> {
    const connection = this.connections.get(id);
    this.connections.delete(id);
    await connection?.stop();
  }

  all(): UpstreamConnection[] {
    return [...this.connections.values()];
  }

  get(id: string): UpstreamConnection | undefined {
    return this.connections.get(id);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((connection) => connection.stop()));
    this.connections.clear();
  }
}
