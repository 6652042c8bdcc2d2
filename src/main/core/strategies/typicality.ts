import { hnswNeighbourGraph, type HnswParams } from '../duplicates/hnsw-knn';
import { squaredDistance, type Points } from '../evaluation/points';

/** Neighbours used for typicality; Hacohen et al. (2022) use 20. */
export const TYPICALITY_NEIGHBOURS = 20;

/**
 * Largest set whose typicality is exact (brute force, O(n²·d): 0.1 s at
 * 2,000 × 32); larger sets read their neighbours off an HNSW graph.
 */
export const TYPICALITY_EXACT_LIMIT = 2_000;

/**
 * Typicality of every row (Hacohen et al., ICML 2022): the inverse of the mean
 * Euclidean distance to its k nearest other rows. Dense regions score high,
 * outliers low. Up to `exactLimit` rows the neighbours are exact (brute force,
 * so small pools, clusters and the tests keep exactly the values they always
 * had); above it they come from usearch's HNSW graph (recall measured in
 * test/unit/typicality-knn.test.ts), O(n log n), with their distances
 * recomputed here in double precision. A row whose k neighbours all coincide
 * with it scores Infinity (the most typical).
 */
export function typicality(points: Points, k: number = TYPICALITY_NEIGHBOURS, exactLimit: number = TYPICALITY_EXACT_LIMIT): Float64Array {
  if (points.count > exactLimit && Math.min(k, points.count - 1) > 0) return knnTypicality(points, k);
  return exactTypicality(points, k);
}

/**
 * HNSW beams for typicality's k = 20 (the duplicate graph's narrower beams are
 * tuned for k = 10): recall and error are checked in typicality-knn.test.ts.
 */
export const TYPICALITY_HNSW: HnswParams = { connectivity: 16, expansionAdd: 128, expansionSearch: 128 };

/** Typicality from approximate (HNSW) k nearest neighbours. */
export function knnTypicality(points: Points, k: number = TYPICALITY_NEIGHBOURS): Float64Array {
  const n = points.count;
  const out = new Float64Array(n);
  const kk = Math.min(k, n - 1);
  if (n === 0) return out;
  if (kk <= 0) return out.fill(1);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  const vectors = points.vectors.subarray(0, n * points.dim);
  // Twice k candidates, of which the k nearest (sorted by exact distance) are kept: the k-th neighbour is found as
  // reliably as the first.
  const wide = Math.min(2 * kk, n - 1);
  const graph = hnswNeighbourGraph(vectors, points.dim, ids, wide, { params: TYPICALITY_HNSW });
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let found = 0;
    for (let m = 0; m < kk; m++) {
      const j = graph.neighbours[i * wide + m]!;
      if (j < 0) continue;
      sum += Math.sqrt(squaredDistance(points, i, points, j));
      found++;
    }
    out[i] = found === 0 ? 0 : sum === 0 ? Infinity : found / sum;
  }
  return out;
}

/** Exact typicality, brute force O(n²·d). */
export function exactTypicality(points: Points, k: number = TYPICALITY_NEIGHBOURS): Float64Array {
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
