import { DEFAULT_TYPICLUST_BATCH, typiclustBatch } from '../strategies/index';
import { subsetPoints, type Points } from '../evaluation/points';
import { FpsEngine } from './fps-engine';
import { poolRows, type LiveOrder, type OrderedRow, type PoolView } from './live-order';

/** Batches the queue shows: the current one and the ones predicted after it. */
export const TYPICLUST_BATCHES_AHEAD = 3;
export { DEFAULT_TYPICLUST_BATCH };

export interface TypiclustConfig {
  batchSize: number;
  seed: number;
  /** The current batch as stored in the project (matrix rows, in pick order), or null. */
  stored(): number[] | null;
  /** Stores a new current batch (the queue calls it whenever the current batch changes). */
  save(rows: number[]): void;
}

/**
 * The typiclust queue: TypiClust (Hacohen et al. 2022, the evaluation's
 * typiclustBatch) picks a batch of `batchSize` at a time — k-means of the
 * pool into (known + batch) clusters, the most typical sample of each large
 * cluster holding no known sample. The queue shows the current batch, then
 * batches predicted as if the ones before were labeled, then the rest of the
 * pool in furthest-point order from everything before (so a deep jump costs
 * one FPS run, not hundreds of clusterings).
 *
 * The current batch is stored in the project (so the CLI, a restart and the
 * UI agree on it) and is fixed once chosen:
 * - labeling or skipping its head moves the cursor; the predicted batches were
 *   computed with that row known, so nothing is recomputed; when the cursor
 *   enters the next batch, that batch becomes the stored current one;
 * - labeling out of order (any other row) keeps the current batch's unlabeled
 *   members, in their order, and recomputes the following batches with the
 *   new labeled set as known;
 * - when every member is labeled, skipped or excluded, the next request picks
 *   a new batch from the labeled set as it is then.
 * Novelty is the distance to the nearest known or earlier entry (measured by
 * inserting each entry, as the random order does), so every strategy reads
 * on one scale.
 */
export class TypiclustOrder implements LiveOrder {
  private pool: { rows: Int32Array; indexOf: Int32Array; points: Points } | null = null;
  private run: {
    engine: FpsEngine;
    entries: number[];
    novelty: number[];
    cursor: number;
    /** Exclusive end (in entries) of each batch still ahead of or at the cursor. */
    batchEnds: number[];
    tail: boolean;
  } | null = null;

  constructor(
    private readonly view: PoolView,
    private readonly config: TypiclustConfig,
  ) {
    if (!Number.isSafeInteger(config.batchSize) || config.batchSize < 1) throw new RangeError(`typiclust batch size must be a positive integer, got ${config.batchSize}`);
  }

  rows(offset: number, limit: number): OrderedRow[] {
    const run = this.ensure(offset + limit);
    const out: OrderedRow[] = [];
    const end = Math.min(run.entries.length, run.cursor + offset + limit);
    for (let k = run.cursor + offset; k < end; k++) out.push({ row: run.entries[k]!, novelty: run.novelty[k]! });
    return out;
  }

  knownPosition(row: number): number | null {
    if (!this.run) return null;
    const at = this.run.entries.indexOf(row, this.run.cursor);
    return at >= 0 ? at - this.run.cursor : null;
  }

  known(row: number): void {
    const run = this.run;
    if (!run || run.entries[run.cursor] !== row) {
      this.run = null;
      return;
    }
    run.cursor++;
    if (run.batchEnds.length === 0 || run.cursor < run.batchEnds[0]!) return;
    run.batchEnds.shift();
    if (run.batchEnds.length === 0 || run.tail) {
      // Left the predicted batches (or they were followed by the FPS tail): choose afresh.
      this.run = null;
      return;
    }
    this.config.save(run.entries.slice(run.cursor, run.batchEnds[0]));
  }

  reset(poolChanged: boolean): void {
    this.run = null;
    if (poolChanged) this.pool = null;
  }

  private poolPoints(): NonNullable<TypiclustOrder['pool']> {
    if (this.pool) return this.pool;
    const { kernel } = this.view;
    const rows = poolRows(this.view);
    const indexOf = new Int32Array(kernel.count).fill(-1);
    for (let k = 0; k < rows.length; k++) indexOf[rows[k]!] = k;
    const all = { vectors: kernel.vectors.subarray(0, kernel.count * kernel.dim), dim: kernel.dim, count: kernel.count };
    // The whole matrix when nothing is excluded: no copy.
    const points = rows.length === kernel.count ? all : subsetPoints(all, rows);
    this.pool = { rows, indexOf, points };
    return this.pool;
  }

  private ensure(count: number): NonNullable<TypiclustOrder['run']> {
    const run = this.run ?? this.start();
    while (run.entries.length - run.cursor < count) {
      if (!run.tail && run.batchEnds.length < TYPICLUST_BATCHES_AHEAD) {
        const batch = this.nextBatch(run.entries);
        if (batch.length > 0) {
          this.append(run, batch);
          run.batchEnds.push(run.entries.length);
          continue;
        }
      }
      run.tail = true;
      const next = run.engine.pick();
      if (!next) break;
      run.entries.push(next.row);
      run.novelty.push(next.novelty);
    }
    return run;
  }

  private start(): NonNullable<TypiclustOrder['run']> {
    const { view } = this;
    const engine = FpsEngine.create(view.kernel, (r) => view.inPool(r));
    for (let r = 0; r < view.kernel.count; r++) if (view.inPool(r) && view.isKnown(r)) engine.insert(r);
    const run = { engine, entries: [] as number[], novelty: [] as number[], cursor: 0, batchEnds: [] as number[], tail: false };
    const kept = (this.config.stored() ?? []).filter((r) => r >= 0 && r < view.kernel.count && view.inPool(r) && !view.isKnown(r));
    const current = kept.length > 0 ? kept : this.nextBatch([]);
    if (kept.length === 0 && current.length > 0) this.config.save(current);
    if (current.length > 0) {
      this.append(run, current);
      run.batchEnds.push(run.entries.length);
    }
    this.run = run;
    return run;
  }

  /** The batch TypiClust picks with every known row and `ahead` (earlier entries) taken as labeled. */
  private nextBatch(ahead: readonly number[]): number[] {
    const { rows, indexOf, points } = this.poolPoints();
    const labeled: number[] = [];
    const marked = new Uint8Array(rows.length);
    for (let k = 0; k < rows.length; k++) if (this.view.isKnown(rows[k]!)) marked[k] = 1;
    for (const r of ahead) if (indexOf[r]! >= 0) marked[indexOf[r]!] = 1;
    for (let k = 0; k < rows.length; k++) if (marked[k]) labeled.push(k);
    return typiclustBatch(points, labeled, this.config.batchSize, { seed: this.config.seed }).map((k) => rows[k]!);
  }

  private append(run: NonNullable<TypiclustOrder['run']>, batch: readonly number[]): void {
    for (const row of batch) {
      run.entries.push(row);
      run.novelty.push(run.engine.isCandidate(row) ? Math.sqrt(run.engine.insert(row)) : 0);
    }
  }
}
