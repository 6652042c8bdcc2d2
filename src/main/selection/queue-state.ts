import type { DistanceKernel } from './distance-kernel';
import { FpsEngine } from './fps-engine';

export type QueueStrategy = 'fps' | 'random';

export interface QueueRow {
  row: number;
  /** Distance to the nearest labeled, skipped or earlier entry when it was placed (Infinity: nothing before it). */
  novelty: number;
  skipped: boolean;
}

/**
 * The live labeling queue of one session over one embedding matrix (rows in
 * ascending sample id), for both strategies.
 *
 * FPS: the greedy furthest-point order seeded by every labeled and every
 * skipped row of the pool, then the skipped rows in the order they were
 * skipped. Skipping therefore acts like labeling for the order (the expert
 * has seen the sample, so its near-duplicates stay deprioritized) while the
 * sample itself moves to the end of the queue; skips live only in this
 * session. Labeling or skipping the head never recomputes anything: the
 * head was already a center of the order, so the rest is unchanged and the
 * cursor just moves on. Any other change restarts the order from `base`
 * (labeled and skipped rows as centers), which is updated incrementally:
 * a new label or skip is one pruned insertion, excluding a candidate removes
 * it from its cluster. Only removing a center (undoing a label, excluding a
 * labeled sample, restoring an excluded one) rebuilds `base` from scratch.
 * Picks are computed lazily, as far as a caller asks.
 *
 * Random: the given seeded permutation, filtered to unlabeled pool rows and
 * then the skipped ones; novelty is measured the same way (forced
 * insertions), so the two strategies can be compared on one scale.
 */
export class QueueState {
  readonly kernel: DistanceKernel;
  private readonly pool: Uint8Array;
  private readonly labeled: Uint8Array;
  private readonly skippedFlag: Uint8Array;
  private skippedRows: number[] = [];
  private readonly skippedNovelty = new Map<number, number>();
  private readonly randomOrder: Int32Array;
  private base!: FpsEngine;
  /** `adopted`: picks came from a stored full order (queue job); the engine behind them is not advanced. */
  private fps!: { engine: FpsEngine; picks: number[]; novelty: number[]; cursor: number; adopted: boolean };
  private random: { engine: FpsEngine; rows: number[]; novelty: number[]; next: number } | null = null;
  /** Counts of full rebuilds and restarts, for tests and the bench. */
  readonly counters = { baseRebuilds: 0, restarts: 0 };

  constructor(kernel: DistanceKernel, options: { inPool: Uint8Array; labeled: Uint8Array; randomOrder: Int32Array }) {
    const n = kernel.count;
    if (options.inPool.length !== n || options.labeled.length !== n) throw new RangeError(`pool and label flags must have ${n} entries`);
    this.kernel = kernel;
    this.pool = options.inPool.slice();
    this.labeled = options.labeled.slice();
    this.skippedFlag = new Uint8Array(n);
    this.randomOrder = options.randomOrder;
    this.rebuildBase();
  }

  /** Unlabeled rows of the pool: the length of either strategy's queue. */
  get total(): number {
    let t = 0;
    for (let i = 0; i < this.pool.length; i++) if (this.pool[i] && !this.labeled[i]) t++;
    return t;
  }

  /** Skipped rows still in the queue (at its end). */
  get skippedCount(): number {
    return this.visibleSkipped().length;
  }

  /** FPS entries computed so far (beyond the cursor). */
  get computedFps(): number {
    return this.fps.picks.length - this.fps.cursor;
  }

  isLabeled(row: number): boolean {
    return this.labeled[row] === 1;
  }

  isSkipped(row: number): boolean {
    return this.skippedFlag[row] === 1;
  }

  inPool(row: number): boolean {
    return this.pool[row] === 1;
  }

  /** The FPS engine over labeled rows only (for the covering radius now). */
  get baseEngine(): FpsEngine {
    this.syncBase();
    return this.base;
  }

  /** One page of the queue; computes as many FPS picks as the page needs. */
  entries(strategy: QueueStrategy, offset: number, limit: number): QueueRow[] {
    if (strategy === 'random') return this.randomEntries(offset, limit);
    const skipped = this.visibleSkipped();
    const end = offset + limit;
    const fpsTotal = this.total - skipped.length;
    this.ensureFps(Math.min(end, fpsTotal));
    const out: QueueRow[] = [];
    const { picks, novelty, cursor } = this.fps;
    for (let k = offset; k < Math.min(end, fpsTotal); k++) out.push({ row: picks[cursor + k]!, novelty: novelty[cursor + k]!, skipped: false });
    for (let k = Math.max(offset, fpsTotal); k < Math.min(end, fpsTotal + skipped.length); k++) {
      const row = skipped[k - fpsTotal]!;
      out.push({ row, novelty: this.skippedNovelty.get(row) ?? Infinity, skipped: true });
    }
    return out;
  }

  /**
   * Position (0-based) of a row in a strategy's queue as far as it is known
   * without computing more picks, or null (not queued, or not yet reached).
   */
  knownPosition(strategy: QueueStrategy, row: number): number | null {
    if (!this.pool[row] || this.labeled[row]) return null;
    if (strategy === 'random') {
      this.randomEntries(0, 0);
      const at = this.random!.rows.indexOf(row);
      return at >= 0 ? at : null;
    }
    const skipped = this.visibleSkipped();
    if (this.skippedFlag[row]) return this.total - skipped.length + skipped.indexOf(row);
    const at = this.fps.picks.indexOf(row, this.fps.cursor);
    return at >= 0 ? at - this.fps.cursor : null;
  }

  label(row: number): void {
    if (this.labeled[row]) return;
    this.labeled[row] = 1;
    if (!this.pool[row]) return;
    this.random = null;
    if (this.skippedFlag[row]) {
      // Already a center of the order: only leaves the skipped tail.
      this.dropSkipped(row);
      return;
    }
    if (this.isFpsHead(row)) {
      this.fps.cursor++;
      return;
    }
    this.restart();
  }

  unlabel(row: number): void {
    if (!this.labeled[row]) return;
    this.labeled[row] = 0;
    if (!this.pool[row] || this.skippedFlag[row]) return;
    this.rebuildBase();
  }

  skip(row: number): void {
    if (!this.pool[row]) throw new RangeError(`row ${row} is not in the pool`);
    if (this.labeled[row] || this.skippedFlag[row]) return;
    this.random = null;
    const head = this.isFpsHead(row);
    const known = this.fps.picks.indexOf(row, this.fps.cursor);
    this.skippedNovelty.set(row, known >= 0 ? this.fps.novelty[known]! : Math.sqrt(this.fps.engine.squaredNovelty(row)));
    this.skippedFlag[row] = 1;
    this.skippedRows.push(row);
    if (head) this.fps.cursor++;
    else this.restart();
  }

  /** Forgets every skip of this session. */
  clearSkips(): void {
    if (this.skippedRows.length === 0) return;
    this.skippedFlag.fill(0);
    this.skippedRows = [];
    this.skippedNovelty.clear();
    this.rebuildBase();
  }

  exclude(row: number): void {
    if (!this.pool[row]) return;
    this.pool[row] = 0;
    this.random = null;
    if (this.skippedFlag[row]) this.dropSkipped(row);
    if (this.base.isCenter(row)) {
      this.rebuildBase();
      return;
    }
    this.base.remove(row);
    // A row not yet picked leaves the computed prefix valid: it was never the farthest.
    if (this.fps.picks.includes(row)) this.restart();
    else if (this.fps.engine.isCandidate(row)) this.fps.engine.remove(row);
  }

  restore(row: number): void {
    if (this.pool[row]) return;
    this.pool[row] = 1;
    this.rebuildBase();
  }

  private isFpsHead(row: number): boolean {
    this.ensureFps(1);
    return this.fps.picks[this.fps.cursor] === row;
  }

  /**
   * Takes a full FPS order computed elsewhere (the queue job) for exactly this
   * state: only before anything here moved the cursor or skipped, and only if
   * what is computed here is a prefix of it. Returns whether it was taken.
   */
  adoptFps(rows: ArrayLike<number>, novelty: ArrayLike<number>): boolean {
    const { fps } = this;
    if (fps.cursor !== 0 || this.skippedRows.length > 0 || rows.length !== novelty.length) return false;
    if (rows.length !== this.total || fps.picks.some((r, k) => rows[k] !== r)) return false;
    fps.picks = Array.from(rows);
    fps.novelty = Array.from(novelty);
    fps.adopted = true;
    return true;
  }

  private ensureFps(count: number): void {
    const { fps } = this;
    if (fps.adopted) return;
    while (fps.picks.length - fps.cursor < count) {
      const next = fps.engine.pick();
      if (!next) return;
      fps.picks.push(next.row);
      fps.novelty.push(next.novelty);
    }
  }

  private visibleSkipped(): number[] {
    return this.skippedRows.filter((r) => this.pool[r] && !this.labeled[r]);
  }

  private dropSkipped(row: number): void {
    this.skippedFlag[row] = 0;
    this.skippedRows = this.skippedRows.filter((r) => r !== row);
    this.skippedNovelty.delete(row);
  }

  /** Inserts every labeled or skipped pool row that is not yet a center of base. */
  private syncBase(): void {
    for (let i = 0; i < this.pool.length; i++) {
      if (this.pool[i] && (this.labeled[i] || this.skippedFlag[i]) && this.base.isCandidate(i)) this.base.insert(i);
    }
  }

  private rebuildBase(): void {
    this.counters.baseRebuilds++;
    this.base = FpsEngine.create(this.kernel, (i) => this.pool[i] === 1);
    this.restart();
  }

  private restart(): void {
    this.counters.restarts++;
    this.syncBase();
    this.fps = { engine: this.base.clone(), picks: [], novelty: [], cursor: 0, adopted: false };
    this.random = null;
  }

  private randomEntries(offset: number, limit: number): QueueRow[] {
    if (!this.random) {
      this.syncBase();
      const rows: number[] = [];
      for (const r of this.randomOrder) if (this.pool[r] && !this.labeled[r] && !this.skippedFlag[r]) rows.push(r);
      rows.push(...this.visibleSkipped());
      this.random = { engine: this.base.clone(), rows, novelty: [], next: 0 };
    }
    const state = this.random;
    const end = Math.min(offset + limit, state.rows.length);
    // Novelty of a random entry: its distance to the labeled, skipped and earlier entries (forced insertions).
    while (state.novelty.length < end) {
      const row = state.rows[state.novelty.length]!;
      if (state.engine.isCandidate(row)) state.novelty.push(Math.sqrt(state.engine.insert(row)));
      else state.novelty.push(this.skippedNovelty.get(row) ?? 0);
    }
    const out: QueueRow[] = [];
    for (let k = offset; k < end; k++) {
      const row = state.rows[k]!;
      out.push({ row, novelty: state.novelty[k]!, skipped: this.skippedFlag[row] === 1 });
    }
    return out;
  }
}
