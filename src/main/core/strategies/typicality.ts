import { squaredDistance, type Points } from '../evaluation/points';

/** Neighbours used for typicality; Hacohen et al. (2022) use 20. */
export const TYPICALITY_NEIGHBOURS = 20;

/**
 * Typicality of every row (Hacohen et al., ICML 2022): the inverse of the mean
 * Euclidean distance to its k nearest other rows. Dense regions score high,
 * outliers low. Exact and brute force, O(n²·d): the evaluation and TypiClust
 * apply it to one cluster or one training pool at a time. A row whose k
 * neighbours all coincide with it scores Infinity (the most typical).
 */
export function typicality(points: Points, k: number = TYPICALITY_NEIGHBOURS): Float64Array {
  const n = points.count;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const kk = Math.min(k, n - 1);
  if (kk === 0) {
    out.fill(1);
    return out;
  }
  // The k smallest distances so far, kept sorted ascending (k is small).
  const nearest = new Float64Array(kk);
  for (let i = 0; i < n; i++) {
    nearest.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = squaredDistance(points, i, points, j);
      if (d >= nearest[kk - 1]!) continue;
      let p = kk - 1;
      while (p > 0 && nearest[p - 1]! > d) {
        nearest[p] = nearest[p - 1]!;
        p--;
      }
      nearest[p] = d;
    }
    let sum = 0;
    for (let m = 0; m < kk; m++) sum += Math.sqrt(nearest[m]!);
    out[i] = sum === 0 ? Infinity : kk / sum;
  }
  return out;
}
