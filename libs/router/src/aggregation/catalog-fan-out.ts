import type { Exposure, SourceItems } from './catalog-exposure';
import type { CatalogItems, CatalogKind } from './catalog-kinds';
import type { SourceListCache } from './source-list-cache';

export interface CatalogLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * The lists of every source of an exposure, asked concurrently. A source that fails or misses its
 * deadline is left out and reported when it fails open, and fails the whole list when it fails closed.
 */
export async function listEverySource<K extends CatalogKind>(
  cache: SourceListCache,
  kind: K,
  exposure: Exposure,
  logger: CatalogLogger,
  maxAgeMs?: number,
): Promise<SourceItems<CatalogItems[K]>[]> {
  const outcomes = await Promise.all(
    exposure.sources.map((labelled) => cache.get(labelled.source, kind, maxAgeMs)),
  );
  const lists: SourceItems<CatalogItems[K]>[] = [];
  outcomes.forEach((outcome, index) => {
    const labelled = exposure.sources[index];
    if (outcome.items) {
      lists.push({ labelled, items: outcome.items });
      return;
    }
    if (labelled.source.failMode === 'closed') throw outcome.error;
    const { name: server, serverId } = labelled.source;
    logger.warn(
      { server, serverId, kind, error: outcome.error.message },
      'catalog list left out a failing server',
    );
  });
  return lists;
}
