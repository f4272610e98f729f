import type { GatewayError } from '@gateway/mcp';
import { listFailed, listTimedOut } from './catalog-errors';
import type { CatalogItems, CatalogKind } from './catalog-kinds';
import type { CatalogSource } from './catalog-source';

/** One source's list of one kind: its items, or why it has none this time. */
export type SourceListOutcome<K extends CatalogKind> =
  | { readonly items: readonly CatalogItems[K][]; readonly error?: undefined }
  | { readonly items?: undefined; readonly error: GatewayError };

interface CachedList {
  readonly items: readonly unknown[];
  readonly fetchedAt: number;
}

export interface SourceListCacheOptions {
  readonly defaultDeadlineMs: number;
  readonly now: () => number;
  /** Called whenever a fetched list is stored, so that views built on the lists can be rebuilt. */
  readonly onStored: () => void;
}

/**
 * The lists of every source, per kind: fetched under the source's deadline, kept until
 * invalidated, one fetch in flight per source and kind however many callers wait for it.
 * Failures are not kept, so the next caller tries again.
 */
export class SourceListCache {
  private readonly lists = new Map<string, CachedList>();
  private readonly inFlight = new Map<string, Promise<SourceListOutcome<CatalogKind>>>();
  /** Bumped by every invalidation, so that a fetch that started before it is not stored. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly options: SourceListCacheOptions) {}

  /** The source's list: the stored one when younger than maxAgeMs, else the fetch in flight, else a new fetch. */
  get<K extends CatalogKind>(
    source: CatalogSource,
    kind: K,
    maxAgeMs = Number.POSITIVE_INFINITY,
  ): Promise<SourceListOutcome<K>> {
    const key = keyOf(source.serverId, kind);
    const cached = this.lists.get(key);
    if (cached && this.options.now() - cached.fetchedAt < maxAgeMs) {
      return Promise.resolve({ items: cached.items as readonly CatalogItems[K][] });
    }
    // With no caching at all (a maximum age of 0) every list asks the upstream itself.
    const shared = maxAgeMs > 0 ? this.inFlight.get(key) : undefined;
    const pending = shared ?? this.startFetch(source, kind, key);
    return pending as Promise<SourceListOutcome<K>>;
  }

  invalidate(serverId: string, kind: CatalogKind): void {
    const key = keyOf(serverId, kind);
    this.generations.set(key, this.generationOf(key) + 1);
    this.lists.delete(key);
    this.inFlight.delete(key);
  }

  private startFetch<K extends CatalogKind>(
    source: CatalogSource,
    kind: K,
    key: string,
  ): Promise<SourceListOutcome<K>> {
    const generation = this.generationOf(key);
    const pending = this.fetch(source, kind).then((outcome) => {
      if (this.inFlight.get(key) === pending) this.inFlight.delete(key);
      if (outcome.items && this.generationOf(key) === generation) {
        this.lists.set(key, { items: outcome.items, fetchedAt: this.options.now() });
        this.options.onStored();
      }
      return outcome;
    });
    this.inFlight.set(key, pending);
    return pending;
  }

  private async fetch<K extends CatalogKind>(source: CatalogSource, kind: K): Promise<SourceListOutcome<K>> {
    const deadlineMs = source.deadlineMs ?? this.options.defaultDeadlineMs;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = listTimedOut(source, kind, deadlineMs);
        controller.abort(error);
        reject(error);
      }, deadlineMs);
    });
    try {
      // A source that ignores the signal is not waited for: its late answer is dropped.
      const listing = Promise.resolve().then(() => source.list(kind, controller.signal));
      return { items: await Promise.race([listing, deadline]) };
    } catch (error) {
      return {
        error: controller.signal.aborted
          ? (controller.signal.reason as GatewayError)
          : listFailed(source, kind, error),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private generationOf(key: string): number {
    return this.generations.get(key) ?? 0;
  }
}

function keyOf(serverId: string, kind: CatalogKind): string {
  return `${serverId}\u0000${kind}`;
}
