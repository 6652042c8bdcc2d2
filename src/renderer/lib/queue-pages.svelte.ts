import type { FarpointApi } from '../../shared/contract';
import type { QueueEntry, QueuePage, QueueStrategy } from '../../shared/domain';

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
    this.pages = new Map();
    this.ensure(first, last);
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
      this.loaded = true;
    } catch (err) {
      if (generation === this.generation) this.onError(err);
    } finally {
      if (generation === this.generation) this.inFlight.delete(page);
    }
  }
}
