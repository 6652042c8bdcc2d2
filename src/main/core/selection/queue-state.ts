import type { QueueStrategy } from '../../../shared/domain';
import type { DistanceKernel } from './distance-kernel';
import { buildLiveOrders } from '../strategies/registry';
import { CoverQueueOrder } from './cover-order';
import { FpsEngine } from './fps-engine';
import type { LiveOrder, PoolView } from './live-order';
import type { TypiclustConfig } from './typiclust-order';

export type { QueueStrategy };

export type CoverStrategy = 'probcover' | 'auto';

export function isCover(strategy: QueueStrategy): strategy is CoverStrategy {
  return strategy === 'probcover' || strategy === 'auto';
}

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
 *
 * typiclust, fps-dense, probcover and auto: LiveOrders over the same pool
 * (typiclust-order.ts, fps-dense-order.ts, cover-order.ts; each explains how
 * it reacts to labels), followed by the skipped rows like FPS.
 *
 * The front (moveToFront, e.g. a lasso on the map): groups of rows the user
 * wants labeled first, newest group first; within a group, furthest-point
 * order seeded by every labeled and skipped row and the groups before it.
 * Every strategy's queue starts with the front, and its own order continues
 * from the front rows as if they were already labeled (they are centers of
 * `base`, like skips): so labeling any front row changes nothing else, and a
 * front row simply leaves the front when it is labeled, skipped or excluded.
 */
export class QueueState implements PoolView {
  readonly kernel: DistanceKernel;
  private readonly pool: Uint8Array;
  private readonly labeled: Uint8Array;
  private readonly skippedFlag: Uint8Array;
  private skippedRows: number[] = [];
  private readonly skippedNovelty = new Map<number, number>();
  private readonly randomOrder: Int32Array;
  private readonly fpsTree: 'auto' | 'never';
  private base!: FpsEngine;
  /**
   * The fps order: `picks` from `cursor` on are the queue (those before it were labeled or skipped at the head).
   * `inEngine`: how many of `picks` the engine has taken as centers; fewer than all when the tail was adopted
   * from a stored order (queue job), whose engine this one is not.
   */
  private fps!: { engine: FpsEngine; picks: number[]; novelty: number[]; cursor: number; inEngine: number };
  private random: { engine: FpsEngine; rows: number[]; novelty: number[]; next: number } | null = null;
  private readonly frontFlag: Uint8Array;
  private front: { row: number; novelty: number }[] = [];
  /** Every strategy's LiveOrder but fps and random, which live in QueueState itself (core/strategies/registry.ts builds them). */
  private readonly orders: Map<string, LiveOrder>;
  /** Counts of full rebuilds and restarts, for tests and the bench. */
  readonly counters = { baseRebuilds: 0, restarts: 0 };

  constructor(
    kernel: DistanceKernel,
    options: {
      inPool: Uint8Array;
      labeled: Uint8Array;
      randomOrder: Int32Array;
      typiclust?: TypiclustConfig;
      front?: number[][];
      /** Leave `base` unsettled: the caller runs settleSteps() before using the state. */
      deferSettle?: boolean;
      /**
       * The FPS order's pruning tree (default 'auto': built where a sample shows it pays). 'never' for a large pool
       * served from a thread that must stay responsive: its deep orders come from the queue job, and the live state
       * then only inserts labels and picks a few rows, one streamed pass each, never building a tree in one piece.
       */
      fpsTree?: 'auto' | 'never';
    },
  ) {
    const n = kernel.count;
    if (options.inPool.length !== n || options.labeled.length !== n) throw new RangeError(`pool and label flags must have ${n} entries`);
    this.kernel = kernel;
    this.pool = options.inPool.slice();
    this.labeled = options.labeled.slice();
    this.skippedFlag = new Uint8Array(n);
    this.frontFlag = new Uint8Array(n);
    this.randomOrder = options.randomOrder;
    this.fpsTree = options.fpsTree ?? 'auto';
    const typiclust = options.typiclust ?? { batchSize: 10, seed: 1, stored: () => null, save: () => undefined };
    this.orders = buildLiveOrders(this, { seed: typiclust.seed, typiclust });
    if (options.front) this.placeFront(options.front);
    if (options.deferSettle) {
      this.counters.baseRebuilds++;
      this.base = this.newBase();
    } else this.rebuildBase();
  }

  /**
   * What the constructor does after building `base` (restart: the known rows
   * inserted as centers, the first pick settled), `insertsPerStep` insertions
   * at a time, each slice settled (peek) before yielding. A pick is settled
   * lazily, so settling once at the end applied every labeled center in one
   * piece: reopening a 100,000-sample project with hundreds of labels held the
   * thread for seconds. Settling per slice does the same work (the order does
   * not depend on when it is settled) in pieces of a few streamed passes.
   */
  *settleSteps(insertsPerStep = 16): Generator<void, void, void> {
    let sinceSettle = 0;
    for (let i = 0; i < this.pool.length; i++) {
      if (!this.pool[i] || !this.isKnown(i) || !this.base.isCandidate(i)) continue;
      this.base.insert(i);
      if (++sinceSettle === insertsPerStep) {
        sinceSettle = 0;
        this.base.peek();
        yield;
      }
    }
    if (sinceSettle > 0) this.base.peek();
    this.counters.restarts++;
    this.fps = { engine: this.base.clone(), picks: [], novelty: [], cursor: 0, inEngine: 0 };
    this.random = null;
  }

  /** Known rows: labeled, skipped or at the front; every order continues from them. */
  isKnown(row: number): boolean {
    return this.labeled[row] === 1 || this.skippedFlag[row] === 1 || this.frontFlag[row] === 1;
  }

  /** Rows at the front of the queue, in order (unlabeled, unskipped, in the pool). */
  get frontRows(): number[] {
    return this.front.map((f) => f.row);
  }

  /**
   * Replaces the front with `groups` (newest first; rows already labeled,
   * skipped, excluded or in an earlier group are left out).
   */
  setFront(groups: readonly (readonly number[])[]): void {
    this.placeFront(groups);
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

  /**
   * Distances evaluated so far by the live FPS order's engine and by base
   * (their pruning statistics): an engine cloned from base starts from base's
   * count, so the difference is what the order computed itself since the last
   * restart. For tests and the bench.
   */
  get fpsWork(): { order: number; base: number } {
    return { order: this.fps.engine.stats.pointEvaluations, base: this.base.stats.pointEvaluations };
  }

  /** FPS entries computed so far (beyond the cursor). */
  get computedFps(): number {
    return this.fps.picks.length - this.fps.cursor;
  }

  /**
   * The covering radius after each of the next `count` FPS picks, read from
   * the picks computed or adopted so far (computing none), or null when they
   * do not reach that far. The radius after a pick is the next pick's
   * novelty (the largest distance from a candidate to its nearest center),
   * so the coverage curve's projection along the queue costs nothing where
   * the queue's head is known.
   */
  fpsRadiiAhead(count: number): number[] | null {
    const { fps } = this;
    if (fps.picks.length - fps.cursor < count + 1) return null;
    return fps.novelty.slice(fps.cursor + 1, fps.cursor + 1 + count);
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

  /** A coverage order, for the service to adopt a head the queue job computed or to ask how far it reaches. */
  coverOrder(strategy: CoverStrategy): CoverQueueOrder {
    const order = this.orders.get(strategy);
    if (!(order instanceof CoverQueueOrder)) throw new Error(`the ${strategy} strategy has no coverage order`);
    return order;
  }

  /** One page of the queue: the front, then the strategy's order, then the skipped rows. */
  entries(strategy: QueueStrategy, offset: number, limit: number): QueueRow[] {
    const out: QueueRow[] = [];
    const f = this.front.length;
    for (let k = offset; k < Math.min(offset + limit, f); k++) out.push({ row: this.front[k]!.row, novelty: this.front[k]!.novelty, skipped: false });
    const from = Math.max(0, offset - f);
    const count = offset + limit - f - from;
    if (count > 0) out.push(...this.orderEntries(strategy, from, count));
    return out;
  }

  /** Entries of a strategy's order after the front. */
  private orderEntries(strategy: QueueStrategy, offset: number, limit: number): QueueRow[] {
    if (strategy === 'random') return this.randomEntries(offset, limit);
    const skipped = this.visibleSkipped();
    const end = offset + limit;
    const fpsTotal = this.total - skipped.length - this.front.length;
    const live = this.orders.get(strategy);
    if (live) {
      const out: QueueRow[] = live.rows(offset, Math.max(0, Math.min(end, fpsTotal) - offset)).map((r) => ({ ...r, skipped: false }));
      for (let k = Math.max(offset, fpsTotal); k < Math.min(end, fpsTotal + skipped.length); k++) {
        const row = skipped[k - fpsTotal]!;
        out.push({ row, novelty: this.skippedNovelty.get(row) ?? Infinity, skipped: true });
      }
      return out;
    }
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
    const f = this.front.length;
    if (this.frontFlag[row]) return this.front.findIndex((e) => e.row === row);
    const skipped = this.visibleSkipped();
    if (this.skippedFlag[row]) return this.total - skipped.length + skipped.indexOf(row);
    let at: number | null;
    if (strategy === 'random') {
      this.randomEntries(0, 0);
      const k = this.random!.rows.indexOf(row);
      at = k >= 0 ? k : null;
    } else if (this.orders.has(strategy)) {
      at = this.orders.get(strategy)!.knownPosition(row);
    } else {
      const k = this.fps.picks.indexOf(row, this.fps.cursor);
      at = k >= 0 ? k - this.fps.cursor : null;
    }
    return at === null ? null : at + f;
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
    if (this.frontFlag[row]) {
      // Already a center of every order: only leaves the front.
      this.dropFront(row);
      return;
    }
    for (const order of this.orders.values()) order.known(row);
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
    this.resetOrders(false);
    this.rebuildBase();
  }

  skip(row: number): void {
    if (!this.pool[row]) throw new RangeError(`row ${row} is not in the pool`);
    if (this.labeled[row] || this.skippedFlag[row]) return;
    this.random = null;
    if (this.frontFlag[row]) {
      // A center already: it moves from the front to the skipped tail, nothing else changes.
      this.skippedNovelty.set(row, this.front.find((e) => e.row === row)!.novelty);
      this.dropFront(row);
      this.skippedFlag[row] = 1;
      this.skippedRows.push(row);
      return;
    }
    for (const order of this.orders.values()) order.known(row);
    const head = this.isFpsHead(row);
    const known = this.fps.picks.indexOf(row, this.fps.cursor);
    this.skippedNovelty.set(row, known >= 0 ? this.fps.novelty[known]! : Math.sqrt(this.fps.engine.squaredNovelty(row)));
    this.skippedFlag[row] = 1;
    this.skippedRows.push(row);
    if (head) this.fps.cursor++;
    else this.restart();
  }

  /** Skipped rows still in the queue, in the order they were skipped. */
  get skippedRowList(): number[] {
    return this.visibleSkipped();
  }

  /** Forgets the skips of these rows only (rows not skipped are left alone); returns the rows that were skipped. */
  unskip(rows: readonly number[]): number[] {
    const done = rows.filter((r) => this.skippedFlag[r] === 1);
    if (done.length === 0) return [];
    for (const row of done) this.dropSkipped(row);
    this.random = null;
    this.resetOrders(false);
    this.rebuildBase();
    return done;
  }

  /** Forgets every skip of this session. */
  clearSkips(): void {
    if (this.skippedRows.length === 0) return;
    this.skippedFlag.fill(0);
    this.skippedRows = [];
    this.skippedNovelty.clear();
    this.resetOrders(false);
    this.rebuildBase();
  }

  exclude(row: number): void {
    if (!this.pool[row]) return;
    this.pool[row] = 0;
    this.random = null;
    this.resetOrders(true);
    if (this.skippedFlag[row]) this.dropSkipped(row);
    if (this.frontFlag[row]) this.dropFront(row);
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
    this.resetOrders(true);
    this.rebuildBase();
  }

  private isFpsHead(row: number): boolean {
    this.ensureFps(1);
    return this.fps.picks[this.fps.cursor] === row;
  }

  /**
   * Takes an FPS order, whole or a head of it, computed elsewhere (the queue
   * job stores its head first, then longer prefixes) for exactly this state
   * (its labels, so a head labeled here is not in it): only while nothing was
   * skipped here and no front is set, only if it is longer than what is
   * computed here and what is computed here is a prefix of it. The queue job
   * extends an adopted order; a page asked for here beyond it has the engine
   * take the adopted picks as centers first (ensureFps). Returns whether it
   * was taken.
   */
  adoptFps(rows: ArrayLike<number>, novelty: ArrayLike<number>): boolean {
    const { fps } = this;
    if (!this.canAdopt || rows.length !== novelty.length) return false;
    const known = fps.picks.length - fps.cursor;
    if (rows.length > this.total || rows.length <= known) return false;
    for (let k = 0; k < known; k++) if (rows[k] !== fps.picks[fps.cursor + k]) return false;
    // The picks before the cursor (heads labeled since) stay: the engine may not have taken them yet either.
    fps.picks = [...fps.picks.slice(0, fps.cursor), ...Array.from(rows)];
    fps.novelty = [...fps.novelty.slice(0, fps.cursor), ...Array.from(novelty)];
    return true;
  }

  /**
   * New FPS picks a page [offset, offset + limit) of the fps queue would need
   * beyond those computed (Infinity when they cannot be computed here: an
   * adopted order is extended only by the queue job).
   */
  fpsPicksNeeded(offset: number, limit: number): number {
    const fpsTotal = this.total - this.visibleSkipped().length - this.front.length;
    const end = Math.min(offset + limit - this.front.length, fpsTotal);
    const missing = end - (this.fps.picks.length - this.fps.cursor);
    if (missing <= 0) return 0;
    return this.fps.inEngine < this.fps.picks.length ? Infinity : missing;
  }

  /** Entries of the fps queue available without computing a pick (the front and the computed picks). */
  get fpsAvailable(): number {
    return this.front.length + this.fps.picks.length - this.fps.cursor;
  }

  /** Whether a stored order computed elsewhere could apply here (no session-only skips, no front). */
  get canAdopt(): boolean {
    return this.skippedRows.length === 0 && this.front.length === 0;
  }

  private ensureFps(count: number): void {
    const { fps } = this;
    if (fps.picks.length - fps.cursor >= count) return;
    // An adopted tail reaches no further: the engine takes its picks as centers (the state picking them would
    // have left), then picks on.
    for (; fps.inEngine < fps.picks.length; fps.inEngine++) fps.engine.insert(fps.picks[fps.inEngine]!);
    while (fps.picks.length - fps.cursor < count) {
      const next = fps.engine.pick();
      if (!next) return;
      fps.picks.push(next.row);
      fps.novelty.push(next.novelty);
      fps.inEngine++;
    }
  }

  private visibleSkipped(): number[] {
    return this.skippedRows.filter((r) => this.pool[r] && !this.labeled[r]);
  }

  private dropFront(row: number): void {
    this.frontFlag[row] = 0;
    this.front = this.front.filter((e) => e.row !== row);
  }

  private resetOrders(poolChanged: boolean): void {
    for (const order of this.orders.values()) order.reset(poolChanged);
  }

  /** Orders each group by furthest-point sampling, seeded by the labeled and skipped rows and the groups before it. */
  private placeFront(groups: readonly (readonly number[])[]): void {
    for (const e of this.front) this.frontFlag[e.row] = 0;
    this.front = [];
    this.resetOrders(false);
    for (const group of groups) {
      const inGroup = new Set(group.filter((r) => r >= 0 && r < this.pool.length && this.pool[r] && !this.isKnown(r)));
      if (inGroup.size === 0) continue;
      const engine = FpsEngine.create(this.kernel, (r) => this.pool[r] === 1 && (this.isKnown(r) || inGroup.has(r)));
      for (let r = 0; r < this.pool.length; r++) if (this.pool[r] && this.isKnown(r)) engine.insert(r);
      for (let next = engine.pick(); next; next = engine.pick()) {
        this.front.push({ row: next.row, novelty: next.novelty });
        this.frontFlag[next.row] = 1;
      }
    }
  }

  private dropSkipped(row: number): void {
    this.skippedFlag[row] = 0;
    this.skippedRows = this.skippedRows.filter((r) => r !== row);
    this.skippedNovelty.delete(row);
  }

  /**
   * Inserts every labeled or skipped pool row that is not yet a center of
   * base, then settles base as far as its next pick: the work of applying
   * the new centers (and building the pruning tree when the first phase
   * ends) is done once here and shared by every clone, instead of again in
   * each clone's first pick (which grew with every label since).
   */
  private syncBase(): void {
    const steps = this.syncBaseSteps(Infinity);
    while (!steps.next().done);
  }

  /**
   * syncBase `insertsPerStep` insertions at a time, yielding between them:
   * the labels given since the base was last synced are one streamed pass
   * each, and fifty of them at a million rows held the server's thread for
   * over half a second. Safe to interleave with other calls (each row is
   * inserted only while it is still a candidate of the current base).
   */
  *syncBaseSteps(insertsPerStep: number): Generator<void, void, void> {
    let inserted = 0;
    for (let i = 0; i < this.pool.length; i++) {
      if (this.pool[i] && this.isKnown(i) && this.base.isCandidate(i)) {
        this.base.insert(i);
        if (++inserted % insertsPerStep === 0) yield;
      }
    }
    if (inserted > 0) this.base.peek();
  }

  private newBase(): FpsEngine {
    return FpsEngine.create(this.kernel, (i) => this.pool[i] === 1, { tree: this.fpsTree });
  }

  private rebuildBase(): void {
    this.counters.baseRebuilds++;
    this.base = this.newBase();
    this.restart();
  }

  private restart(): void {
    this.counters.restarts++;
    this.syncBase();
    this.fps = { engine: this.base.clone(), picks: [], novelty: [], cursor: 0, inEngine: 0 };
    this.random = null;
  }

  private randomEntries(offset: number, limit: number): QueueRow[] {
    if (!this.random) {
      this.syncBase();
      const rows: number[] = [];
      for (const r of this.randomOrder) if (this.pool[r] && !this.isKnown(r)) rows.push(r);
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
