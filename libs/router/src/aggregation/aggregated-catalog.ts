import type {
  Prompt,
  PromptReference,
  ResourceTemplateReference,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '@gateway/platform';
import { unknownPrompt, unknownResource, unknownTool } from './catalog-errors';
import {
  exposeNamedItems,
  exposeResources,
  exposeResourceTemplates,
  labelSources,
  type CatalogRoute,
  type Exposure,
  type LabelledSource,
  type NamedItemRoute,
  type NamedItems,
  type SourceItems,
} from './catalog-exposure';
import {
  catalogKindsOf,
  listChangedKinds,
  type CatalogItems,
  type CatalogKind,
  type ListChangedKind,
} from './catalog-kinds';
import type { CatalogSource } from './catalog-source';
import { viewServerNames, type CatalogView } from './catalog-view';
import { listEverySource, type CatalogLogger } from './catalog-fan-out';
import { resolveResourceRoute, type ResourceRoute } from './resource-resolution';
import { SourceListCache } from './source-list-cache';

export interface AggregatedCatalogOptions {
  /** A source's list deadline when the source sets none (the router's list timeout). */
  readonly defaultDeadlineMs: number;
  /**
   * A lookup that misses re-fetches only lists older than this (default 1000 ms), so that agents
   * calling names that do not exist cannot make every upstream list again on every call.
   */
  readonly missRefreshMinAgeMs?: number;
  /**
   * How long a stored list is served without asking the upstream again (default: until its
   * list_changed). A bound catches upstreams that change without saying so.
   */
  readonly maxListAgeMs?: number;
  readonly now?: () => number;
  readonly logger?: CatalogLogger;
}

/** Something agents may see changed: the wiring passes it on as notifications/<kind>/list_changed. */
export interface CatalogChange {
  readonly kind: ListChangedKind;
  readonly serverId: string;
  /** The server's registry name, for {@link viewShows}. */
  readonly server: string;
}

export type CatalogChangeListener = (change: CatalogChange) => void;

export interface CompletionRoute extends CatalogRoute {
  /** The reference with the upstream's prompt name or URI template. */
  readonly ref: PromptReference | ResourceTemplateReference;
}

type NamedKind = 'tools' | 'prompts';

interface MemoizedNames {
  readonly version: number;
  readonly names: NamedItems<Tool | Prompt>;
}

const wholeCatalog = {};

/** Whether an agent may see one item: its kind, its server's name, its upstream name or URI. */
export type CatalogItemFilter = (
  kind: 'tool' | 'resource' | 'prompt',
  server: string,
  name: string,
) => boolean;

function admitted<T>(
  lists: SourceItems<T>[],
  admit: CatalogItemFilter | undefined,
  uriOf: (item: T) => string,
): SourceItems<T>[] {
  if (!admit) return lists;
  return lists.map((listed) => ({
    ...listed,
    items: listed.items.filter((item) => admit('resource', listed.labelled.source.name, uriOf(item))),
  }));
}

/**
 * The tools, resources, resource templates and prompts of many upstream servers as one catalog, as
 * an agent sees it through one exposure (the whole catalog or a view), and the way back from every
 * exposed name and URI to the server that serves it. It knows no transport: sources list, the
 * wiring calls upstreams and passes on the changes this catalog reports.
 */
export class AggregatedCatalog {
  private readonly sources = new Map<string, CatalogSource>();
  private labelled: readonly LabelledSource[] = [];
  private readonly listeners = new Set<CatalogChangeListener>();
  private readonly cache: SourceListCache;
  private readonly missRefreshMinAgeMs: number;
  private readonly maxListAgeMs: number;
  private readonly logger: CatalogLogger;
  /** Bumped whenever a list is stored or dropped, so memoized names are rebuilt. */
  private version = 0;
  private readonly memoizedNames = new Map<NamedKind, WeakMap<object, MemoizedNames>>();

  constructor(sources: Iterable<CatalogSource>, options: AggregatedCatalogOptions) {
    this.cache = new SourceListCache({
      defaultDeadlineMs: options.defaultDeadlineMs,
      now: options.now ?? Date.now,
      onStored: () => (this.version += 1),
    });
    this.missRefreshMinAgeMs = options.missRefreshMinAgeMs ?? 1000;
    this.maxListAgeMs = options.maxListAgeMs ?? Number.POSITIVE_INFINITY;
    this.logger = options.logger ?? createLogger('aggregated-catalog');
    for (const source of sources) this.sources.set(source.serverId, source);
    this.relabel();
  }

  /** Adds a source, or replaces the one with the same server id; agents see every list change. */
  addSource(source: CatalogSource): void {
    this.dropLists(source.serverId);
    this.sources.set(source.serverId, source);
    this.relabel();
    this.emit(source, listChangedKinds);
  }

  removeSource(serverId: string): void {
    const source = this.sources.get(serverId);
    if (!source) return;
    this.dropLists(serverId);
    this.sources.delete(serverId);
    this.relabel();
    this.emit(source, listChangedKinds);
  }

  /**
   * Forgets a server's lists of one kind (every kind when none is given), as its
   * notifications/<kind>/list_changed asks; "resources" covers resource templates too.
   */
  invalidate(serverId: string, kind?: ListChangedKind): void {
    const source = this.sources.get(serverId);
    if (!source) return;
    const kinds = kind === undefined ? listChangedKinds : [kind];
    for (const changed of kinds) {
      for (const catalogKind of catalogKindsOf(changed)) this.cache.invalidate(serverId, catalogKind);
    }
    this.version += 1;
    this.emit(source, kinds);
  }

  /** Calls the listener on every change of a list; returns the function that stops it. */
  onChanged(listener: CatalogChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Everything of one kind the exposure shows, asking every source concurrently under its
   * deadline; `admit` leaves out items (by their server and upstream name or URI) the agent may
   * not see. Names stay as the whole exposure makes them, so hiding an item renames nothing.
   */
  async list<K extends CatalogKind>(
    kind: K,
    view?: CatalogView,
    admit?: CatalogItemFilter,
  ): Promise<CatalogItems[K][]> {
    const exposure = this.exposure(view);
    switch (kind) {
      case 'tools':
      case 'prompts': {
        const named = await this.namedItems(kind, exposure);
        if (!admit) return named.items as CatalogItems[K][];
        const itemKind = kind === 'tools' ? 'tool' : 'prompt';
        return named.items.filter((item) => {
          const route = named.routes.get(item.name);
          return route !== undefined && admit(itemKind, route.server, route.upstreamName);
        }) as CatalogItems[K][];
      }
      case 'resources':
        return exposeResources(
          admitted(await this.fetchAll('resources', exposure), admit, (resource) => resource.uri),
          exposure,
        ) as CatalogItems[K][];
      case 'resourceTemplates':
        return exposeResourceTemplates(
          admitted(
            await this.fetchAll('resourceTemplates', exposure),
            admit,
            (template) => template.uriTemplate,
          ),
          exposure,
        ) as CatalogItems[K][];
    }
    throw new Error(`Unknown catalog kind: ${String(kind)}`);
  }

  /** The server and upstream name behind an exposed tool name; -32602 when the exposure shows none. */
  async resolveTool(exposedName: string, view?: CatalogView): Promise<NamedItemRoute> {
    const route = await this.resolveNamed('tools', exposedName, view);
    if (!route) throw unknownTool(exposedName);
    return route;
  }

  /** The server and upstream name behind an exposed prompt name; -32602 when the exposure shows none. */
  async resolvePrompt(exposedName: string, view?: CatalogView): Promise<NamedItemRoute> {
    const route = await this.resolveNamed('prompts', exposedName, view);
    if (!route) throw unknownPrompt(exposedName);
    return route;
  }

  /**
   * The server and upstream URI behind an exposed resource URI or URI template; -32002 when the
   * exposure shows none. Decided from the URI itself and the view, without listing.
   */
  async resolveResource(exposedUri: string, view?: CatalogView): Promise<ResourceRoute> {
    const route = resolveResourceRoute(exposedUri, this.exposure(view));
    if (!route) throw unknownResource(exposedUri);
    return route;
  }

  /** Where a completion/complete goes, with the reference rewritten to the upstream's name or URI. */
  async resolveCompletionRef(
    ref: PromptReference | ResourceTemplateReference,
    view?: CatalogView,
  ): Promise<CompletionRoute> {
    if (ref.type === 'ref/prompt') {
      const route = await this.resolvePrompt(ref.name, view);
      return {
        serverId: route.serverId,
        server: route.server,
        uris: route.uris,
        ref: { ...ref, name: route.upstreamName },
      };
    }
    const route = await this.resolveResource(ref.uri, view);
    return {
      serverId: route.serverId,
      server: route.server,
      uris: route.uris,
      ref: { ...ref, uri: route.upstreamUri },
    };
  }

  private async resolveNamed(
    kind: NamedKind,
    exposedName: string,
    view: CatalogView | undefined,
  ): Promise<NamedItemRoute | undefined> {
    const exposure = this.exposure(view);
    const known = (await this.namedItems(kind, exposure)).routes.get(exposedName);
    // A name not seen yet may be new upstream: look once more before answering that it is unknown.
    return known ?? (await this.namedItems(kind, exposure, this.missRefreshMinAgeMs)).routes.get(exposedName);
  }

  private exposure(view: CatalogView | undefined): Exposure {
    if (view === undefined) {
      return { view, sources: this.labelled, prefixed: this.labelled.length > 1 };
    }
    const names = viewServerNames(view);
    const sources = this.labelled.filter((labelled) => names.has(labelled.source.name));
    return { view, sources, prefixed: names.size > 1 };
  }

  private async namedItems(
    kind: NamedKind,
    exposure: Exposure,
    maxAgeMs?: number,
  ): Promise<NamedItems<Tool | Prompt>> {
    const lists = await this.fetchAll(kind, exposure, maxAgeMs);
    const complete = lists.length === exposure.sources.length;
    const memo = this.memoizedNames.get(kind) ?? new WeakMap<object, MemoizedNames>();
    this.memoizedNames.set(kind, memo);
    const key = exposure.view ?? wholeCatalog;
    const memoized = memo.get(key);
    if (complete && memoized?.version === this.version) return memoized.names;
    const names = exposeNamedItems<Tool | Prompt>(kind, lists, exposure);
    // Lists with a source left out are not memoized: the next call may find it back.
    if (complete) memo.set(key, { version: this.version, names });
    return names;
  }

  private dropLists(serverId: string): void {
    for (const kind of listChangedKinds.flatMap(catalogKindsOf)) this.cache.invalidate(serverId, kind);
    this.version += 1;
  }

  private relabel(): void {
    this.labelled = labelSources([...this.sources.values()]);
    this.version += 1;
  }

  private fetchAll<K extends CatalogKind>(
    kind: K,
    exposure: Exposure,
    maxAgeMs?: number,
  ): Promise<SourceItems<CatalogItems[K]>[]> {
    return listEverySource(this.cache, kind, exposure, this.logger, maxAgeMs ?? this.maxListAgeMs);
  }

  private emit(source: CatalogSource, kinds: readonly ListChangedKind[]): void {
    for (const kind of kinds) {
      for (const listener of this.listeners) {
        try {
          listener({ kind, serverId: source.serverId, server: source.name });
        } catch (error) {
          this.logger.warn({ kind, error: String(error) }, 'catalog change listener failed');
        }
      }
    }
  }
}
