import { kMeans } from '../evaluation/kmeans';
import { squaredDistance, type Points } from '../evaluation/points';

/** Share of pure balls the radius must keep; ProbCover (Yehuda et al., NeurIPS 2022) uses 0.95. */
export const DEFAULT_BALL_PURITY = 0.95;
/**
 * k-means clusters standing in for the classes in the purity rule. The
 * paper uses the number of classes; an orientation project has no classes,
 * so a fixed handful of object kinds is assumed (capped by the pool size).
 */
export const DEFAULT_PURITY_CLUSTERS = 10;

export interface BallRadiusOptions {
  purity?: number;
  clusters?: number;
  seed?: number;
}

/**
 * ProbCover's ball radius, chosen from the data: the largest δ for which at
 * least `purity` of the open balls B(x, δ) = {y : |x − y| < δ} are pure,
 * i.e. hold only samples of x's own k-means cluster (the paper's rule with
 * k-means clusters in place of classes). A ball around x is pure exactly when
 * δ ≤ r(x), the distance from x to the nearest sample of another cluster, so
 * purity(δ) = share of x with r(x) ≥ δ, non-increasing in δ, and the largest
 * δ keeping it is the ⌈purity·n⌉-th largest r(x). Exact, O(n²·d).
 * A pool that is one cluster (every r(x) infinite) gets an infinite radius:
 * one ball covers everything.
 */
export function ballPurityRadius(points: Points, options: BallRadiusOptions = {}): number {
  const n = points.count;
  if (n < 2) return Infinity;
  const purity = options.purity ?? DEFAULT_BALL_PURITY;
  if (!(purity > 0 && purity <= 1)) throw new RangeError(`ball purity must be in (0, 1], got ${purity}`);
  const k = Math.min(options.clusters ?? DEFAULT_PURITY_CLUSTERS, n);
  const { assignment } = kMeans(points, k, { seed: options.seed ?? 1 });
  const r = impureDistances(points, assignment);
  r.sort();
  const keep = Math.ceil(purity * n);
  return Math.sqrt(r[n - keep]!);
}

/** Squared distance from each row to the nearest row of another cluster (Infinity: none). */
function impureDistances(points: Points, assignment: Int32Array): Float64Array {
  const n = points.count;
  const out = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (assignment[i] === assignment[j]) continue;
      const d = squaredDistance(points, i, points, j);
      if (d < out[i]!) out[i] = d;
      if (d < out[j]!) out[j] = d;
    }
  }
  return out;
}
