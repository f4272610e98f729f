import type { CatalogLogger } from './catalog-fan-out';
import type { CatalogItems, CatalogKind } from './catalog-kinds';
import type { CatalogSource } from './catalog-source';

/** Test double of an upstream: plain lists that tests change, answer slowly, fail or never answer. */
export type CatalogLists = { [K in CatalogKind]: CatalogItems[K][] };

export class InMemorySource implements CatalogSource {
  readonly failMode?: 'open' | 'closed';
  readonly deadlineMs?: number;
  /** Every list call in order, with the signal it got. */
  readonly calls: { kind: CatalogKind; signal: AbortSignal }[] = [];
  private readonly lists = new Map<CatalogKind, readonly unknown[]>();
  private failure: Error | undefined;
  private hanging = false;
  private gate: Promise<void> | undefined;

  constructor(
    readonly serverId: string,
    readonly name: string,
    lists: Partial<CatalogLists> = {},
    options: { failMode?: 'open' | 'closed'; deadlineMs?: number } = {},
  ) {
    for (const [kind, items] of Object.entries(lists)) this.lists.set(kind as CatalogKind, items);
    if (options.failMode) this.failMode = options.failMode;
    if (options.deadlineMs !== undefined) this.deadlineMs = options.deadlineMs;
  }

  set<K extends CatalogKind>(kind: K, items: CatalogItems[K][]): void {
    this.lists.set(kind, items);
  }

  failWith(error: Error | undefined): void {
    this.failure = error;
  }

  /** From now on, list calls never answer (and ignore their signal). */
  hang(): void {
    this.hanging = true;
  }

  /** Holds every list answer until the returned function is called. */
  hold(): () => void {
    let release: () => void = () => undefined;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  callsOf(kind: CatalogKind): number {
    return this.calls.filter((call) => call.kind === kind).length;
  }

  async list<K extends CatalogKind>(kind: K, signal: AbortSignal): Promise<readonly CatalogItems[K][]> {
    this.calls.push({ kind, signal });
    // The answer is what the upstream holds when asked, however long it takes to arrive.
    const items = [...(this.lists.get(kind) ?? [])] as CatalogItems[K][];
    const failure = this.failure;
    if (this.hanging) return new Promise<never>(() => undefined);
    if (this.gate) await this.gate;
    if (failure) throw failure;
    return items;
  }
}

export class RecordingLogger implements CatalogLogger {
  readonly warnings: { fields: Record<string, unknown>; message: string }[] = [];

  warn(fields: Record<string, unknown>, message: string): void {
    this.warnings.push({ fields, message });
  }
}

/** Waits for a condition, polling on the event loop, and fails after a deadline instead of sleeping blindly. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
