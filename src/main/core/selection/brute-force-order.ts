import type { DistanceKernel } from './distance-kernel';
import { farthestFromMean } from './farthest-from-mean';

export interface OrderResult {
  /** Rows in pick order. */
  order: Int32Array;
  /** Distance of each pick to the nearest seed or earlier pick when it was chosen (Infinity for a first pick with no seeds). */
  novelty: Float64Array;
}

/**
 * Unpruned greedy furthest-point order: one full distance-update step over
 * every row per pick, on the kernel's `mind` array. The reference the pruned
 * engine is checked against, and the step the bench measures against the
 * memory floor.
 */
export function bruteForceOrder(
  kernel: DistanceKernel,
  options: { seeds?: ArrayLike<number>; inPool?: (row: number) => boolean; limit?: number } = {},
): OrderResult {
  const { count } = kernel;
  const mind = kernel.mind;
  kernel.mindOwner = null;
  let candidates = 0;
  for (let i = 0; i < count; i++) {
    const inPool = !options.inPool || options.inPool(i);
    mind[i] = inPool ? Infinity : -1;
    if (inPool) candidates++;
  }
  const seeds = Array.from(options.seeds ?? []).filter((s) => mind[s]! >= 0);
  let next = -1;
  for (const seed of seeds) {
    mind[seed] = -1;
    candidates--;
    next = kernel.updateAll(seed, 0, count);
  }
  const limit = Math.min(options.limit ?? candidates, candidates);
  const order = new Int32Array(limit);
  const novelty = new Float64Array(limit);
  if (seeds.length === 0 && limit > 0) next = farthestFromMean(kernel, (i) => mind[i]! >= 0);
  for (let k = 0; k < limit; k++) {
    if (next < 0) throw new Error('brute-force order ran out of candidates');
    order[k] = next;
    novelty[k] = Math.sqrt(mind[next]!);
    mind[next] = -1;
    next = kernel.updateAll(next, 0, count);
  }
  return { order, novelty };
}
