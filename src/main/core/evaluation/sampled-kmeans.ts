import { seededRandom } from '../random';
import { assignNearest, kMeans, type KMeansResult } from './kmeans';
import { subsetPoints, type Points } from './points';

/** Rows k-means is fitted on, at least: below this (and 10 rows per cluster) a pool is clustered whole, exactly as before. */
export const KMEANS_SAMPLE_ROWS = 10_000;
/** Lloyd's passes over the sample at most; the fit also stops once fewer than 0.1 % of the sample's rows move. */
export const SAMPLED_KMEANS_ITERATIONS = 50;

export interface SampledKMeansResult extends KMeansResult {
  /** Rows the centroids were fitted on: the whole pool, or the seeded sample. */
  fittedOn: number;
}

/**
 * k-means that stays affordable on a large pool. Lloyd's k-means costs
 * rows × clusters × dims per pass and, on a pool without clear clusters, runs
 * its full 100 passes; TypiClust asks for (labels + batch) clusters, so at
 * 100,000 samples and 560 labels one batch took minutes and the queue's three
 * batches ahead never arrived while labels came in. Above
 * `max(sampleRows, 10 × k)` rows the centroids are fitted on a seeded sample
 * of that many rows (at most 50 passes, stopping when under 0.1 % of them
 * move), then every row is assigned to its nearest centroid once. TypiClust's
 * own code does the same kind of thing (scikit-learn's MiniBatchKMeans above
 * 50 clusters). Smaller pools are clustered whole: identical to kMeans.
 */
export function sampledKMeans(points: Points, k: number, options: { seed?: number; sampleRows?: number } = {}): SampledKMeansResult {
  const n = points.count;
  const seed = options.seed ?? 1;
  const sampleRows = Math.max(options.sampleRows ?? KMEANS_SAMPLE_ROWS, 10 * k);
  if (n <= sampleRows) return { ...kMeans(points, k, { seed }), fittedOn: n };
  const sample = subsetPoints(points, seededSample(n, sampleRows, seed));
  const fit = kMeans(sample, k, { seed, maxIterations: SAMPLED_KMEANS_ITERATIONS, minMoved: Math.ceil(sampleRows / 1000) });
  // Only the centroids that hold sample rows: with fewer distinct rows than k, the others were never seeded.
  const used = [...Array(k).keys()].filter((c) => fit.sizes[c]! > 0);
  const assignment = new Int32Array(n);
  assignNearest(points, subsetPoints(fit.centroids, used), used.length, assignment, true);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    assignment[i] = used[assignment[i]!]!;
    sizes[assignment[i]!]!++;
  }
  return { assignment, centroids: fit.centroids, sizes, iterations: fit.iterations, fittedOn: sampleRows };
}

/** `count` distinct row indices of 0..n−1, drawn by a seeded partial Fisher–Yates shuffle, in ascending order. */
function seededSample(n: number, count: number, seed: number): Int32Array {
  const random = seededRandom(seed * 7919 + 17);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = rows[i]!;
    rows[i] = rows[j]!;
    rows[j] = t;
  }
  return rows.subarray(0, count).sort();
}
