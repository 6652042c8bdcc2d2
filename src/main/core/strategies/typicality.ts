import type { HnswParams } from '../duplicates/hnsw-knn';
import { squaredDistance, subsetPoints, type Points } from '../evaluation/points';
import { poolNeighbours } from './pool-neighbours';

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

/** Typicality from approximate (HNSW) k nearest neighbours: the pool's graph, built once per set of vectors. */
export function knnTypicality(points: Points, k: number = TYPICALITY_NEIGHBOURS): Float64Array {
  const n = points.count;
  const out = new Float64Array(n);
  const kk = Math.min(k, n - 1);
  if (n === 0) return out;
  if (kk <= 0) return out.fill(1);
  const wide = candidatesFor(kk, n);
  const neighbours = poolNeighbours(points, wide, TYPICALITY_HNSW);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let found = 0;
    for (let m = 0; m < kk; m++) {
      const j = neighbours[i * wide + m]!;
      if (j < 0) continue;
      sum += Math.sqrt(squaredDistance(points, i, points, j));
      found++;
    }
    out[i] = found === 0 ? 0 : sum === 0 ? Infinity : found / sum;
  }
  return out;
}

/**
 * Typicality of the rows `rows` of `points` among themselves (TypiClust's
 * typicality within a cluster), in the order of `rows`. Up to `exactLimit`
 * rows it is exact (brute force over the subset, as always). Above it, each
 * row's neighbours are read off the whole pool's HNSW graph (built once per
 * set of vectors, shared with every batch and job) keeping those inside the
 * subset; a border row with fewer than k of its pool candidates inside counts
 * each missing neighbour at its farthest candidate's distance (the true one
 * lies beyond it: the nearest estimate the graph holds). Rebuilding a graph
 * per cluster cost as much as the pool's graph, at every batch.
 */
export function typicalityOfRows(points: Points, rows: readonly number[], k: number = TYPICALITY_NEIGHBOURS, exactLimit: number = TYPICALITY_EXACT_LIMIT): Float64Array {
  const m = rows.length;
  const kk = Math.min(k, m - 1);
  if (m <= exactLimit || kk <= 0) return exactTypicality(subsetPoints(points, rows), k);
  const n = points.count;
  const wide = candidatesFor(Math.min(k, n - 1), n);
  const neighbours = poolNeighbours(points, wide, TYPICALITY_HNSW);
  const inside = new Uint8Array(n);
  for (const r of rows) inside[r] = 1;
  const out = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    const i = rows[a]!;
    let sum = 0;
    let found = 0;
    let farthest = 0;
    for (let c = 0; c < wide && found < kk; c++) {
      const j = neighbours[i * wide + c]!;
      if (j < 0) break;
      const d = Math.sqrt(squaredDistance(points, i, points, j));
      farthest = d;
      if (!inside[j]) continue;
      sum += d;
      found++;
    }
    if (found < kk) sum += (kk - found) * farthest;
    out[a] = sum === 0 ? (found === 0 ? 0 : Infinity) : kk / sum;
  }
  return out;
}

/** Twice k candidates, of which the k nearest (sorted by exact distance) are kept: the k-th neighbour is found as reliably as the first. */
function candidatesFor(kk: number, n: number): number {
  return Math.min(2 * kk, n - 1);
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
