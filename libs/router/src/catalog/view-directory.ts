import { Injectable } from '@nestjs/common';
import type { VirtualServerDefinitionValue } from '@gateway/contracts';
import type { CatalogView } from '../aggregation';

/** The virtual servers this replica knows, as catalog views, kept current from the registry. */
@Injectable()
export class ViewDirectory {
  private readonly views = new Map<string, { revision: number; view: CatalogView }>();
  private readonly listeners = new Set<(name: string) => void>();

  apply(definition: VirtualServerDefinitionValue): void {
    const held = this.views.get(definition.name);
    if (held && held.revision >= definition.revision) return;
    this.views.set(definition.name, {
      revision: definition.revision,
      view: {
        name: definition.name,
        servers: definition.servers,
        tools: definition.tools,
        resources: definition.resources,
        prompts: definition.prompts,
      },
    });
    for (const listener of this.listeners) listener(definition.name);
  }

  remove(name: string): void {
    if (!this.views.delete(name)) return;
    for (const listener of this.listeners) listener(name);
  }

  get(name: string): CatalogView | undefined {
    return this.views.get(name)?.view;
  }

  get size(): number {
    return this.views.size;
  }

  /** Calls the listener with the name of every virtual server that changes; returns the stopper. */
  onChanged(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
