import { DEFAULT_DENSE_QUANTILE, typicality } from '../strategies/index';
import type { Points } from '../evaluation/points';

/**
 * Which rows of `points` are "dense" for fps-dense: typicality (inverse mean
 * distance to the nearest neighbours) at or above the lower `quantile` of
 * all typicalities — the same threshold the evaluation's fpsDenseOrder uses,
 * so the queue and the learning curves order the same pool the same way.
 * Typicality is brute force, O(n²·d): computed once per pool and cached by
 * the caller, never per label.
 */
export function denseFlags(points: Points, quantile: number = DEFAULT_DENSE_QUANTILE): Uint8Array {
  if (!(quantile >= 0 && quantile < 1)) throw new RangeError(`fps-dense quantile must be in [0, 1), got ${quantile}`);
  const n = points.count;
  const flags = new Uint8Array(n);
  if (n === 0) return flags;
  const t = typicality(points);
  const sorted = Float64Array.from(t).sort();
  const threshold = sorted[Math.min(n - 1, Math.floor(quantile * n))]!;
  for (let i = 0; i < n; i++) flags[i] = t[i]! >= threshold ? 1 : 0;
  return flags;
}
