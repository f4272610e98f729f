import type { CatalogKind, ListChangedKind } from './catalog-kinds';

/** A tool or prompt a view exposes, named by its server's name and its upstream name. */
export interface ViewItemSelection {
  readonly server: string;
  readonly name: string;
  /** The exposed name instead of the derived one (never prefixed). */
  readonly alias?: string;
  readonly description?: string;
}

/** A resource or resource template a view exposes, named by its upstream URI (or URI template). */
export interface ViewResourceSelection {
  readonly server: string;
  readonly uri: string;
}

/**
 * A virtual server: the subset of the catalog one exposure shows. Servers are named by their
 * registry name. A whole server shows everything it lists; a selection for an item of a whole
 * server replaces that item's default exposure (alias, description).
 */
export interface CatalogView {
  readonly name: string;
  readonly tools?: readonly ViewItemSelection[];
  readonly resources?: readonly ViewResourceSelection[];
  readonly prompts?: readonly ViewItemSelection[];
  readonly servers?: readonly string[];
}

/**
 * Every server a view names, whether or not it is connected right now: prefixing depends on this
 * count, so the names a view exposes do not change while one of its servers is down.
 */
export function viewServerNames(view: CatalogView): ReadonlySet<string> {
  const selected = [...(view.tools ?? []), ...(view.resources ?? []), ...(view.prompts ?? [])];
  return new Set([...(view.servers ?? []), ...selected.map((selection) => selection.server)]);
}

export function viewIncludesWholeServer(view: CatalogView | undefined, server: string): boolean {
  return view === undefined || (view.servers ?? []).includes(server);
}

export function viewItemSelections(
  view: CatalogView,
  kind: 'tools' | 'prompts',
  server: string,
): ViewItemSelection[] {
  return (view[kind] ?? []).filter((selection) => selection.server === server);
}

export function viewResourceSelections(view: CatalogView, server: string): ViewResourceSelection[] {
  return (view.resources ?? []).filter((selection) => selection.server === server);
}

/**
 * Whether a change of this server's list of this kind can change what the view shows, i.e.
 * whether an agent behind the view needs the list_changed notification.
 */
export function viewShows(
  view: CatalogView | undefined,
  server: string,
  kind: CatalogKind | ListChangedKind,
): boolean {
  if (view === undefined || viewIncludesWholeServer(view, server)) return true;
  switch (kind) {
    case 'tools':
    case 'prompts':
      return viewItemSelections(view, kind, server).length > 0;
    case 'resources':
    case 'resourceTemplates':
      return viewResourceSelections(view, server).length > 0;
  }
}
