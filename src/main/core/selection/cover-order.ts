import { coverBalls, type BallCover } from '../strategies/index';
import { subsetPoints } from '../evaluation/points';
import { FpsEngine } from './fps-engine';
import { poolRows, type LiveOrder, type OrderedRow, type PoolView } from './live-order';

/**
 * The probcover and auto queues: the evaluation's coverOrder over the pool
 * (greedy ball coverage with the data-chosen radius, then furthest-point
 * order from everything before), with every known row's ball covered from
 * the start. `minGain` 1 is ProbCover, 2 the hybrid auto.
 *
 * Live behaviour: the radius and the balls depend on the pool only, never on
 * labels. Labeling or skipping the head changes nothing else (the greedy
 * state after taking a row is the same whether it was picked or labeled), so
 * the cursor moves on. An out-of-order label covers a ball the order did not
 * expect: the order is recomputed from the known rows over the same balls
 * (no distance is computed again). An exclusion or restore changes the pool:
 * radius and balls are rebuilt on the next request. Novelty is the distance
 * to the nearest known or earlier entry, as for typiclust.
 */
export class CoverQueueOrder implements LiveOrder {
  private pool: { rows: Int32Array; indexOf: Int32Array; radius: number } | null = null;
  /** `cover` and `engine` are null for an order adopted from the queue job: it is served, never extended here. */
  private run: { cover: BallCover | null; engine: FpsEngine | null; tail: boolean; entries: number[]; novelty: number[]; cursor: number } | null = null;

  constructor(
    private readonly view: PoolView,
    private readonly minGain: number,
    private readonly seed: number,
  ) {}

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
    if (run && run.entries[run.cursor] === row) run.cursor++;
    else this.run = null;
  }

  reset(poolChanged: boolean): void {
    this.run = null;
    if (poolChanged) this.pool = null;
  }

  /** Whether the pool's radius and balls are built here (then any page is cheap to compute). */
  get poolReady(): boolean {
    return this.pool !== null;
  }

  /** Entries available beyond the cursor without computing anything (Infinity once the balls are built here). */
  get available(): number {
    if (this.run?.cover) return Infinity;
    if (this.run) return this.run.entries.length - this.run.cursor;
    return this.pool ? Infinity : 0;
  }

  /**
   * Takes the head of this order computed elsewhere (the queue job, for
   * exactly this pool and these known rows) when nothing here moved the
   * cursor and it reaches further than what is computed here.
   */
  adopt(rows: ArrayLike<number>, novelty: ArrayLike<number>): boolean {
    const run = this.run;
    if (run && (run.cursor !== 0 || run.cover || run.entries.length >= rows.length)) return false;
    this.run = { cover: null, engine: null, tail: true, entries: Array.from(rows), novelty: Array.from(novelty), cursor: 0 };
    return true;
  }

  /** The radius the current pool's balls use (for the UI and tests). */
  get radius(): number {
    return this.poolState().radius;
  }

  private poolState(): NonNullable<CoverQueueOrder['pool']> {
    if (this.pool) return this.pool;
    const { kernel } = this.view;
    const rows = poolRows(this.view);
    const indexOf = new Int32Array(kernel.count).fill(-1);
    for (let k = 0; k < rows.length; k++) indexOf[rows[k]!] = k;
    const points = subsetPoints({ vectors: kernel.vectors, dim: kernel.dim, count: kernel.count }, rows);
    const { radius, cover } = coverBalls(points, { seed: this.seed });
    this.pool = { rows, indexOf, radius };
    this.balls = cover;
    return this.pool;
  }

  /** Balls of the current pool, built once per pool; each run works on a fresh copy of its coverage. */
  private balls: BallCover | null = null;

  private ensure(count: number): NonNullable<CoverQueueOrder['run']> {
    const run = this.run ?? this.start();
    // An adopted head is served as it is; the queue job computes a longer one.
    if (!run.cover || !run.engine) return run;
    while (run.entries.length - run.cursor < count) {
      if (!run.tail) {
        const k = run.cover.pick(this.minGain);
        if (k !== null) {
          const row = this.pool!.rows[k]!;
          run.entries.push(row);
          run.novelty.push(run.engine.isCandidate(row) ? Math.sqrt(run.engine.insert(row)) : 0);
          continue;
        }
        run.tail = true;
      }
      const next = run.engine.pick();
      if (!next) break;
      run.entries.push(next.row);
      run.novelty.push(next.novelty);
    }
    return run;
  }

  private start(): NonNullable<CoverQueueOrder['run']> {
    const { view } = this;
    const { rows } = this.poolState();
    const cover = this.balls!.fresh();
    const engine = FpsEngine.create(view.kernel, (r) => view.inPool(r));
    for (let k = 0; k < rows.length; k++) {
      if (!view.isKnown(rows[k]!)) continue;
      cover.take(k);
      engine.insert(rows[k]!);
    }
    this.run = { cover, engine, tail: false, entries: [], novelty: [], cursor: 0 };
    return this.run;
  }
}
