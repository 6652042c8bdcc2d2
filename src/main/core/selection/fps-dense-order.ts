import { DEFAULT_DENSE_QUANTILE } from '../strategies/index';
import { subsetPoints } from '../evaluation/points';
import { denseFlags } from './dense-rows';
import { FpsEngine } from './fps-engine';
import { poolRows, type LiveOrder, type OrderedRow, type PoolView } from './live-order';

/**
 * The fps-dense queue: furthest-point order over the dense rows of the pool
 * (typicality at or above the quantile, as the evaluation's fpsDenseOrder),
 * seeded by every known row wherever it lies; once the dense rows run out,
 * the outlying rest, continuing the same traversal from everything before.
 * With nothing known it equals fpsDenseOrder over the pool.
 *
 * Live behaviour (issue 4's rules): density depends on the pool only, never
 * on labels, so labels keep the dense set. Labeling or skipping the head does
 * not change the rest (the head is already a center of the traversal), so the
 * cursor just moves on. An out-of-order label adds a center the traversal did
 * not have: the order is recomputed from the known set (same dense set). An
 * exclusion or restore changes the pool, hence typicality: both are
 * recomputed on the next request.
 */
export class FpsDenseOrder implements LiveOrder {
  private dense: Uint8Array | null = null;
  private run: { engine: FpsEngine; phase: 1 | 2; picks: number[]; novelty: number[]; cursor: number } | null = null;

  constructor(
    private readonly view: PoolView,
    private readonly quantile: number = DEFAULT_DENSE_QUANTILE,
  ) {}

  rows(offset: number, limit: number): OrderedRow[] {
    const run = this.ensure(offset + limit);
    const out: OrderedRow[] = [];
    for (let k = run.cursor + offset; k < Math.min(run.picks.length, run.cursor + offset + limit); k++) out.push({ row: run.picks[k]!, novelty: run.novelty[k]! });
    return out;
  }

  knownPosition(row: number): number | null {
    if (!this.run) return null;
    const at = this.run.picks.indexOf(row, this.run.cursor);
    return at >= 0 ? at - this.run.cursor : null;
  }

  known(row: number): void {
    const run = this.run;
    if (run && run.picks[run.cursor] === row) run.cursor++;
    else this.run = null;
  }

  reset(poolChanged: boolean): void {
    this.run = null;
    if (poolChanged) this.dense = null;
  }

  /** Dense flag per matrix row (0 outside the pool). */
  private denseRows(): Uint8Array {
    if (this.dense) return this.dense;
    const { kernel } = this.view;
    const rows = poolRows(this.view);
    const points = subsetPoints({ vectors: kernel.vectors, dim: kernel.dim, count: kernel.count }, rows);
    const flags = denseFlags(points, this.quantile);
    const dense = new Uint8Array(kernel.count);
    for (let k = 0; k < rows.length; k++) dense[rows[k]!] = flags[k]!;
    this.dense = dense;
    return dense;
  }

  private ensure(count: number): NonNullable<FpsDenseOrder['run']> {
    if (!this.run) {
      const dense = this.denseRows();
      const { view } = this;
      const engine = FpsEngine.create(view.kernel, (r) => view.inPool(r) && (dense[r] === 1 || view.isKnown(r)));
      this.insertKnown(engine, []);
      this.run = { engine, phase: 1, picks: [], novelty: [], cursor: 0 };
    }
    const run = this.run;
    while (run.picks.length - run.cursor < count) {
      const next = run.engine.pick();
      if (next) {
        run.picks.push(next.row);
        run.novelty.push(next.novelty);
        continue;
      }
      if (run.phase === 2) break;
      // Dense rows exhausted: the outliers follow, farthest from everything chosen so far first.
      run.engine = FpsEngine.create(this.view.kernel, (r) => this.view.inPool(r));
      this.insertKnown(run.engine, run.picks);
      run.phase = 2;
    }
    return run;
  }

  private insertKnown(engine: FpsEngine, picks: readonly number[]): void {
    const { view } = this;
    for (let r = 0; r < view.kernel.count; r++) if (view.inPool(r) && view.isKnown(r) && engine.isCandidate(r)) engine.insert(r);
    for (const r of picks) if (engine.isCandidate(r)) engine.insert(r);
  }
}
