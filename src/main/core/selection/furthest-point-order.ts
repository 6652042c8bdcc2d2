import type { KernelKind } from './distance-kernel';
import { bruteForceOrder, type OrderResult } from './brute-force-order';
import { FpsEngine, type PruneStats } from './fps-engine';
import { kernelFor, type KernelPreference } from './kernel-factory';

export interface FurthestPointOptions {
  /** Rows already labeled: the order starts from the sample farthest from all of them. */
  seeds?: ArrayLike<number>;
  /** Rows left out of the pool entirely (neither picked nor seeding). */
  exclude?: ArrayLike<number>;
  /** How many picks to return (default: every candidate). */
  limit?: number;
  /** Distance kernel (default 'auto': WebAssembly SIMD where available). */
  kernel?: KernelPreference;
  /** Triangle-inequality pruning (default true); false runs one full update step per pick. */
  prune?: boolean;
  /** Rows per static pruning group (default about √N, 8..32); any size gives the same result. */
  groupSize?: number;
}

export interface FurthestPointResult extends OrderResult {
  kernel: KernelKind;
  /** Pruning statistics (null when prune is false). */
  stats: PruneStats | null;
}

/**
 * Exact greedy furthest-point order of the rows of `vectors` (count × dim,
 * row-major float32), Euclidean distance.
 *
 * - The first pick is the row farthest from the seeds; with no seeds, the row
 *   farthest from the mean of the pool (its novelty is then Infinity).
 * - Ties go to the lowest row index: pass rows in ascending sample id for
 *   "lowest sample id".
 * - novelty[k] is the distance of pick k to the nearest seed or earlier pick
 *   when it was chosen; it never increases along the order.
 *
 * Every kernel and both pruning settings return the identical order and
 * novelties. The SIMD kernel copies `vectors` into its memory once; the
 * TypeScript kernel reads it in place.
 */
export function furthestPointOrder(vectors: Float32Array, dim: number, options: FurthestPointOptions = {}): FurthestPointResult {
  const kernel = kernelFor(vectors, dim, options.kernel ?? 'auto');
  const count = kernel.count;
  const excluded = new Uint8Array(count);
  for (const row of Array.from(options.exclude ?? [])) excluded[checkRow(row, count, 'exclude')] = 1;
  const seeds = Array.from(options.seeds ?? [], (row) => checkRow(row, count, 'seeds'));
  if (options.limit !== undefined && (!Number.isSafeInteger(options.limit) || options.limit < 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${options.limit}`);
  }
  const inPool = (row: number) => excluded[row] === 0;
  if (options.prune === false) {
    return { ...bruteForceOrder(kernel, { seeds, inPool, limit: options.limit }), kernel: kernel.kind, stats: null };
  }
  const engine = FpsEngine.create(kernel, inPool, { groupSize: options.groupSize });
  for (const seed of seeds) if (engine.isCandidate(seed)) engine.insert(seed);
  const limit = Math.min(options.limit ?? engine.remaining, engine.remaining);
  const order = new Int32Array(limit);
  const novelty = new Float64Array(limit);
  for (let k = 0; k < limit; k++) {
    const next = engine.pick()!;
    order[k] = next.row;
    novelty[k] = next.novelty;
  }
  return { order, novelty, kernel: kernel.kind, stats: { ...engine.stats } };
}

function checkRow(row: number, count: number, what: string): number {
  if (!Number.isSafeInteger(row) || row < 0 || row >= count) throw new RangeError(`${what}: row ${row} is not in 0..${count - 1}`);
  return row;
}
