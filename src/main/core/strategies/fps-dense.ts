import { subsetPoints, type Points } from '../evaluation/points';
import { furthestPointOrderFrom } from './fps-order';
import { TYPICALITY_NEIGHBOURS, typicality } from './typicality';

/** Share of the pool treated as outliers by default: the least typical 20 %. */
export const DEFAULT_DENSE_QUANTILE = 0.2;

/**
 * FPS restricted to the dense part of the pool: furthest-point order over the
 * rows whose typicality is at or above the `quantile` of all typicalities,
 * then the remaining (outlying) rows, continuing the same furthest-point
 * traversal from everything chosen so far. Keeps FPS's coverage while
 * spending early labels on representative samples instead of outliers.
 */
export function fpsDenseOrder(
  points: Points,
  options: { quantile?: number; neighbours?: number; limit?: number; typicalityExactLimit?: number } = {},
): number[] {
  const n = points.count;
  if (n === 0) return [];
  const quantile = options.quantile ?? DEFAULT_DENSE_QUANTILE;
  if (!(quantile >= 0 && quantile < 1)) throw new Error(`fps-dense quantile must be in [0, 1), got ${quantile}`);
  const limit = Math.min(options.limit ?? n, n);
  const t = typicality(points, options.neighbours ?? TYPICALITY_NEIGHBOURS, options.typicalityExactLimit);
  const threshold = quantileOf(t, quantile);
  const dense: number[] = [];
  for (let i = 0; i < n; i++) if (t[i]! >= threshold) dense.push(i);
  const head = furthestPointOrderFrom(subsetPoints(points, dense), [], limit).map((r) => dense[r]!);
  if (head.length >= limit) return head;
  return head.concat(furthestPointOrderFrom(points, head, limit - head.length));
}

/** The q-quantile (lower) of the values. */
function quantileOf(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
