import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { routeBase, type CatalogRoute, type Exposure, type LabelledSource } from './catalog-exposure';
import { viewIncludesWholeServer, viewResourceSelections, type CatalogView } from './catalog-view';
import { upstreamResourceUri } from './resource-uri-mapping';

export interface ResourceRoute extends CatalogRoute {
  readonly exposedUri: string;
  /** The URI (or, for a completion reference, the URI template) the upstream knows. */
  readonly upstreamUri: string;
}

function templateMatches(template: string, uri: string): boolean {
  if (!UriTemplate.isTemplate(template)) return false;
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    // The SDK refuses templates and URIs past its length limits: no match rather than a failed read.
    return false;
  }
}

/** Whether the view shows this URI of this server: all of a whole server, else a selected resource or template. */
function admits(view: CatalogView | undefined, server: string, upstreamUri: string): boolean {
  if (view === undefined || viewIncludesWholeServer(view, server)) return true;
  const selections = viewResourceSelections(view, server);
  return (
    selections.some((selection) => selection.uri === upstreamUri) ||
    selections.some((selection) => templateMatches(selection.uri, upstreamUri))
  );
}

function targetOf(
  exposedUri: string,
  exposure: Exposure,
): { labelled: LabelledSource; upstreamUri: string } | undefined {
  const parsed = upstreamResourceUri(exposedUri);
  const named = parsed && exposure.sources.find((labelled) => labelled.label === parsed.server);
  if (parsed && named) return { labelled: named, upstreamUri: parsed.upstreamUri };
  const only = exposure.sources.length === 1 ? exposure.sources[0] : undefined;
  if (!exposure.prefixed && only) return { labelled: only, upstreamUri: exposedUri };
  return undefined;
}

/**
 * The server and upstream URI behind an exposed resource URI, without asking any upstream: the
 * URI names its server ("gateway://S/U"; with one server exposed, that server), and the view decides
 * whether it shows it. Resources need not appear in resources/list to be readable (a tool may
 * return a link to one), so the lists are not consulted.
 */
export function resolveResourceRoute(exposedUri: string, exposure: Exposure): ResourceRoute | undefined {
  const target = targetOf(exposedUri, exposure);
  if (!target || !admits(exposure.view, target.labelled.source.name, target.upstreamUri)) return undefined;
  return { ...routeBase(target.labelled, exposure), exposedUri, upstreamUri: target.upstreamUri };
}
