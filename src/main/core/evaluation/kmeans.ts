import { seededRandom } from '../random';
import { squaredDistance, type Points } from './points';

export interface KMeansResult {
  /** Cluster of each row, 0..k−1. */
  assignment: Int32Array;
  /** k × dim centroids, row-major. */
  centroids: Points;
  /** Rows per cluster. */
  sizes: Int32Array;
  iterations: number;
}

/**
 * Lloyd's k-means with k-means++ seeding, deterministic for a seed. When k
 * exceeds the number of distinct rows the extra clusters stay empty (size 0)
 * rather than failing. An empty cluster during iteration is re-seeded at the
 * row farthest from its centroid, so k stays k whenever it can.
 */
export function kMeans(points: Points, k: number, options: { seed?: number; maxIterations?: number; minMoved?: number } = {}): KMeansResult {
  const n = points.count;
  const dim = points.dim;
  if (!Number.isInteger(k) || k < 1) throw new Error(`kMeans: k must be a positive integer, got ${k}`);
  if (n === 0) throw new Error('kMeans: no points to cluster');
  const random = seededRandom(options.seed ?? 1);
  const maxIterations = options.maxIterations ?? 100;
  // Lloyd's stops when fewer rows than this changed cluster (1: when none did).
  const minMoved = Math.max(1, options.minMoved ?? 1);
  const centroids: Points = { vectors: new Float32Array(k * dim), dim, count: k };
  const seeded = seedPlusPlus(points, centroids, Math.min(k, n), random);
  centroids.count = k;

  const assignment = new Int32Array(n);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * dim);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const moved = assignNearest(points, centroids, seeded, assignment, iterations === 0);
    if (moved < minMoved) break;
    moveCentroids(points, centroids, seeded, assignment, sizes, sums);
  }
  sizes.fill(0);
  for (let i = 0; i < n; i++) sizes[assignment[i]!]!++;
  return { assignment, centroids, sizes, iterations };
}

/**
 * k-means++: each next centre drawn with probability ∝ squared distance to the nearest chosen one, into the first
 * rows of `centroids`. Returns how many were seeded: `kk`, or fewer where every row coincides with a centre (fewer
 * distinct rows than k).
 */
function seedPlusPlus(points: Points, centroids: Points, kk: number, random: () => number): number {
  const n = points.count;
  const dim = points.dim;
  const k = centroids.count;
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = Math.floor(random() * n);
  for (let c = 0; c < kk; c++) {
    centroids.vectors.set(points.vectors.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = squaredDistance(points, i, centroids, c);
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    if (c + 1 === kk) break;
    if (total === 0) {
      // Every row coincides with a centre: fewer distinct rows than k.
      centroids.count = c + 1;
      break;
    }
    let r = random() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i]!;
      if (r <= 0 && nearest[i]! > 0) {
        chosen = i;
        break;
      }
    }
  }
  return centroids.count === k ? kk : centroids.count;
}

/** Assigns each row to its nearest of the first `seeded` centroids (lowest on ties); returns how many rows moved (all on the first pass). */
export function assignNearest(points: Points, centroids: Points, seeded: number, assignment: Int32Array, first: boolean): number {
  let moved = 0;
  for (let i = 0; i < points.count; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < seeded; c++) {
      const d = squaredDistance(points, i, centroids, c);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    if (first || assignment[i] !== best) moved++;
    assignment[i] = best;
  }
  return moved;
}

/** Each centroid to the mean of its rows; an empty one is re-seeded at the row farthest from its centroid. */
function moveCentroids(points: Points, centroids: Points, seeded: number, assignment: Int32Array, sizes: Int32Array, sums: Float64Array): void {
  const dim = points.dim;
  sizes.fill(0);
  sums.fill(0);
  for (let i = 0; i < points.count; i++) {
    const c = assignment[i]!;
    sizes[c]!++;
    for (let d = 0; d < dim; d++) sums[c * dim + d]! += points.vectors[i * dim + d]!;
  }
  for (let c = 0; c < seeded; c++) {
    if (sizes[c]! > 0) {
      for (let d = 0; d < dim; d++) centroids.vectors[c * dim + d] = sums[c * dim + d]! / sizes[c]!;
    } else {
      const far = farthestFromCentroid(points, centroids, assignment);
      centroids.vectors.set(points.vectors.subarray(far * dim, (far + 1) * dim), c * dim);
    }
  }
}

function farthestFromCentroid(points: Points, centroids: Points, assignment: Int32Array): number {
  let far = 0;
  let farD = -1;
  for (let i = 0; i < points.count; i++) {
    const d = squaredDistance(points, i, centroids, assignment[i]!);
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  return far;
}
