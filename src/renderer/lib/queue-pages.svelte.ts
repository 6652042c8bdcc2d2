import type { FarpointApi } from '../../shared/contract';
import type { QueueComputing, QueueEntry, QueuePage, QueueStrategy } from '../../shared/domain';

export const QUEUE_PAGE_SIZE = 200;

/**
 * The labeling queue fetched a page at a time, as the virtual list scrolls
 * to it. A 100,000-entry queue is never loaded whole: only the pages on
 * screen (and one either side) are requested.
 */
export class QueuePages {
  /** Replaced (not mutated) on every arrival, so Svelte sees the change with `$state.raw`. */
  pages = $state.raw<ReadonlyMap<number, QueueEntry[]>>(new Map());
  total = $state(0);
  head = $state.raw<QueuePage | null>(null);
  loaded = $state(false);
  /** The back end is computing the part of the queue some loaded page reaches into (a queue job); null otherwise. */
  computing = $state.raw<QueueComputing | null>(null);
  /** Pages that came back short because their part of the queue is still being computed. */
  private incomplete = new Set<number>();
  private inFlight = new Set<number>();
  private generation = 0;

  constructor(
    private readonly api: FarpointApi,
    private readonly strategy: () => QueueStrategy | undefined,
    private readonly onError: (err: unknown) => void,
  ) {}

  entryAt(rankIndex: number): QueueEntry | undefined {
    return this.pages.get(Math.floor(rankIndex / QUEUE_PAGE_SIZE))?.[rankIndex % QUEUE_PAGE_SIZE];
  }

  /** Makes sure the pages covering rows [first, last] are loaded or loading. */
  ensure(first: number, last: number): void {
    const from = Math.max(0, Math.floor(first / QUEUE_PAGE_SIZE));
    const to = Math.floor(Math.max(first, last) / QUEUE_PAGE_SIZE);
    for (let page = from; page <= to; page++) void this.load(page);
  }

  /** Forgets every page (the queue changed) and reloads the ones on screen. */
  reset(first = 0, last = QUEUE_PAGE_SIZE): void {
    this.generation++;
    this.inFlight.clear();
    this.incomplete.clear();
    this.computing = null;
    this.pages = new Map();
    this.ensure(first, last);
  }

  /** Asks again for the pages that were still being computed (call on the queue job's progress). */
  retryIncomplete(): void {
    for (const page of [...this.incomplete]) {
      if (this.inFlight.has(page)) continue;
      this.incomplete.delete(page);
      const next = new Map(this.pages);
      next.delete(page);
      this.pages = next;
      void this.load(page);
    }
  }

  private async load(page: number): Promise<void> {
    if (this.pages.has(page) || this.inFlight.has(page)) return;
    if (this.loaded && page * QUEUE_PAGE_SIZE >= this.total && page > 0) return;
    const generation = this.generation;
    this.inFlight.add(page);
    try {
      const result = await this.api.getQueue({ offset: page * QUEUE_PAGE_SIZE, limit: QUEUE_PAGE_SIZE, strategy: this.strategy() });
      if (generation !== this.generation) return;
      const next = new Map(this.pages);
      next.set(page, result.entries);
      this.pages = next;
      this.total = result.total;
      if (page === 0) this.head = result;
      if (result.computing) this.incomplete.add(page);
      this.computing = result.computing ?? (this.incomplete.size > 0 ? this.computing : null);
      this.loaded = true;
    } catch (err) {
      if (generation === this.generation) this.onError(err);
    } finally {
      if (generation === this.generation) this.inFlight.delete(page);
    }
  }
}
