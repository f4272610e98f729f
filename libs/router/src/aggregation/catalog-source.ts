import type { CatalogItems, CatalogKind } from './catalog-kinds';

/**
 * One upstream server as the catalog sees it. The source walks the upstream's pagination itself
 * and should stop when the signal aborts (its deadline passed); the catalog stops waiting either way.
 */
export interface CatalogSource {
  readonly serverId: string;
  /** The registry's server name: what views refer to and what prefixes exposed names and URIs. */
  readonly name: string;
  /** open (default): a failing or late source is left out of lists; closed: the list fails. */
  readonly failMode?: 'open' | 'closed';
  /** How long one list of this source may take; the catalog's default when absent. */
  readonly deadlineMs?: number;
  list<K extends CatalogKind>(kind: K, signal: AbortSignal): Promise<readonly CatalogItems[K][]>;
}
