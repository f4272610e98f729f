import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { exposedNames } from '@gateway/mcp';
import type { CatalogSource } from './catalog-source';
import {
  viewIncludesWholeServer,
  viewItemSelections,
  viewResourceSelections,
  type CatalogView,
  type ViewItemSelection,
} from './catalog-view';
import type { ResourceUriScope } from './content-uri-rewriting';
import { exposeResourceUri } from './resource-uri-mapping';

/** A source with the label that stands for it in exposed names and URIs (unique in the catalog). */
export interface LabelledSource {
  readonly source: CatalogSource;
  readonly label: string;
}

/**
 * Server names are unique in the registry and already within the name alphabet; should two still
 * meet on one label, both get a suffix, so names and URIs never mix two servers up.
 */
export function labelSources(sources: readonly CatalogSource[]): LabelledSource[] {
  const labels = exposedNames(
    sources.map((source) => ({ server: source.serverId, name: source.name })),
    false,
  );
  return sources.map((source, index) => ({ source, label: labels[index] }));
}

/** One exposure of the catalog: the whole of it, or one view. */
export interface Exposure {
  readonly view: CatalogView | undefined;
  readonly sources: readonly LabelledSource[];
  /** Whether names and URIs carry their server, i.e. whether the exposure shows more than one server. */
  readonly prefixed: boolean;
}

export interface SourceItems<T> {
  readonly labelled: LabelledSource;
  readonly items: readonly T[];
}

/** Where an exposed item lives upstream, and how URIs in what it returns are exposed. */
export interface CatalogRoute {
  readonly serverId: string;
  /** The server's registry name. */
  readonly server: string;
  readonly uris: ResourceUriScope;
}

export interface NamedItemRoute extends CatalogRoute {
  readonly exposedName: string;
  readonly upstreamName: string;
}

export interface NamedItems<T> {
  readonly items: T[];
  readonly routes: ReadonlyMap<string, NamedItemRoute>;
}

export function routeBase(labelled: LabelledSource, exposure: Exposure): CatalogRoute {
  return {
    serverId: labelled.source.serverId,
    server: labelled.source.name,
    uris: { serverLabel: labelled.label, prefixed: exposure.prefixed },
  };
}

function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface NamedEntry<T> {
  readonly labelled: LabelledSource;
  readonly item: T;
  readonly selection?: ViewItemSelection;
}

/** The items of one source an exposure shows, each with the view's selection that shows it, if any. */
function entriesOf<T extends Tool | Prompt>(
  kind: 'tools' | 'prompts',
  listed: SourceItems<T>,
  view: CatalogView | undefined,
): NamedEntry<T>[] {
  const { labelled } = listed;
  const items = uniqueBy(listed.items, (item) => item.name);
  const selections = view ? viewItemSelections(view, kind, labelled.source.name) : [];
  if (viewIncludesWholeServer(view, labelled.source.name)) {
    return items.flatMap((item) => {
      const chosen = selections.filter((selection) => selection.name === item.name);
      if (chosen.length === 0) return [{ labelled, item }];
      return chosen.map((selection) => ({ labelled, item, selection }));
    });
  }
  const byName = new Map(items.map((item) => [item.name, item]));
  return selections.flatMap((selection) => {
    const item = byName.get(selection.name);
    return item ? [{ labelled, item, selection }] : [];
  });
}

/** Tools or prompts as an exposure shows them, and the way back from each exposed name. */
export function exposeNamedItems<T extends Tool | Prompt>(
  kind: 'tools' | 'prompts',
  lists: readonly SourceItems<T>[],
  exposure: Exposure,
): NamedItems<T> {
  const entries = lists.flatMap((listed) => entriesOf(kind, listed, exposure.view));
  const names = exposedNames(
    entries.map(({ labelled, item, selection }) => ({
      server: labelled.label,
      name: item.name,
      ...(selection?.alias === undefined ? {} : { alias: selection.alias }),
    })),
    exposure.prefixed,
  );
  const routes = new Map<string, NamedItemRoute>();
  const items = entries.map(({ labelled, item, selection }, index) => {
    const exposedName = names[index];
    routes.set(exposedName, { ...routeBase(labelled, exposure), exposedName, upstreamName: item.name });
    const description = selection?.description;
    return { ...item, name: exposedName, ...(description === undefined ? {} : { description }) };
  });
  return { items, routes };
}

function shownResources<T>(
  listed: SourceItems<T>,
  view: CatalogView | undefined,
  uriOf: (item: T) => string,
): T[] {
  const items = uniqueBy(listed.items, uriOf);
  const server = listed.labelled.source.name;
  if (view === undefined || viewIncludesWholeServer(view, server)) return items;
  const selected = new Set(viewResourceSelections(view, server).map((selection) => selection.uri));
  return items.filter((item) => selected.has(uriOf(item)));
}

export function exposeResources(lists: readonly SourceItems<Resource>[], exposure: Exposure): Resource[] {
  return lists.flatMap((listed) =>
    shownResources(listed, exposure.view, (resource) => resource.uri).map((resource) => ({
      ...resource,
      uri: exposeResourceUri(listed.labelled.label, resource.uri, exposure.prefixed),
    })),
  );
}

export function exposeResourceTemplates(
  lists: readonly SourceItems<ResourceTemplate>[],
  exposure: Exposure,
): ResourceTemplate[] {
  return lists.flatMap((listed) =>
    shownResources(listed, exposure.view, (template) => template.uriTemplate).map((template) => ({
      ...template,
      uriTemplate: exposeResourceUri(listed.labelled.label, template.uriTemplate, exposure.prefixed),
    })),
  );
}
