import { JobCancelled } from '../job-types';
import { GRAPH_CANCELLED, type GraphWorkOptions, type NeighbourGraph } from './neighbour-graph';

/**
 * Exact k nearest neighbours of every row by brute force, visiting each pair
 * once (the distance serves both rows). Squared differences are summed
 * directly rather than through |a|²+|b|²−2a·b, so near-duplicates keep their
 * tiny distances instead of losing them to cancellation. O(n²·d): used for
 * pools up to EXACT_LIMIT and as the reference that measures HNSW recall.
 */
export function exactNeighbourGraph(
  vectors: Float32Array,
  dim: number,
  ids: Int32Array,
  k: number,
  options: GraphWorkOptions = {},
): NeighbourGraph {
  const count = ids.length;
  const best = new TopK(count, k);
  // Blocks of rows keep both operands in cache and give progress/cancel points.
  const block = 128;
  const totalPairs = (count * (count - 1)) / 2;
  let donePairs = 0;
  for (let i0 = 0; i0 < count; i0 += block) {
    if (options.isCancelled?.()) throw new JobCancelled(GRAPH_CANCELLED);
    const i1 = Math.min(count, i0 + block);
    for (let i = i0; i < i1; i++) {
      const oi = i * dim;
      for (let j = i + 1; j < count; j++) {
        const squared = squaredDistance(vectors, oi, j * dim, dim);
        if (squared < best.worst[i]!) best.offer(i, squared, j);
        if (squared < best.worst[j]!) best.offer(j, squared, i);
      }
      donePairs += count - 1 - i;
    }
    options.onProgress?.(donePairs, totalPairs, 'exact neighbour search');
  }
  return best.toGraph(ids);
}

/**
 * Exact k nearest neighbours of a few query rows against all rows (the query
 * itself left out): the ground truth for measuring an approximate graph.
 */
export function exactNeighboursOf(vectors: Float32Array, dim: number, count: number, queryRows: readonly number[], k: number): Int32Array {
  const best = new TopK(queryRows.length, k);
  queryRows.forEach((row, q) => {
    const oq = row * dim;
    for (let j = 0; j < count; j++) {
      if (j === row) continue;
      const squared = squaredDistance(vectors, oq, j * dim, dim);
      if (squared < best.worst[q]!) best.offer(q, squared, j);
    }
  });
  return best.rows;
}

/**
 * Exact k nearest rows of `vectors` to one outside query vector, nearest
 * first (ties: lower row first). Euclidean, summed directly like the graph
 * above so near-identical images keep their tiny distances.
 */
export function nearestRowsTo(query: Float32Array, vectors: Float32Array, dim: number, count: number, k: number): { rows: number[]; distances: number[] } {
  const take = Math.min(k, count);
  if (take <= 0) return { rows: [], distances: [] };
  const best = new TopK(1, take);
  for (let j = 0; j < count; j++) {
    const o = j * dim;
    let sum = 0;
    for (let q = 0; q < dim; q++) {
      const diff = query[q]! - vectors[o + q]!;
      sum += diff * diff;
    }
    if (sum < best.worst[0]!) best.offer(0, sum, j);
  }
  return { rows: Array.from(best.rows), distances: Array.from(best.squared, Math.sqrt) };
}

export function squaredDistance(vectors: Float32Array, a: number, b: number, dim: number): number {
  let sum = 0;
  for (let q = 0; q < dim; q++) {
    const diff = vectors[a + q]! - vectors[b + q]!;
    sum += diff * diff;
  }
  return sum;
}

/** Per-row sorted lists of the k smallest squared distances seen so far. */
class TopK {
  readonly squared: Float64Array;
  readonly rows: Int32Array;
  /** The k-th smallest so far per row: a candidate must beat it to get in. */
  readonly worst: Float64Array;

  constructor(
    count: number,
    readonly k: number,
  ) {
    this.squared = new Float64Array(count * k).fill(Infinity);
    this.rows = new Int32Array(count * k).fill(-1);
    this.worst = new Float64Array(count).fill(k > 0 ? Infinity : -Infinity);
  }

  offer(row: number, squared: number, neighbour: number): void {
    const base = row * this.k;
    let p = this.k - 1;
    // Ties keep the earlier (lower-index) neighbour first, so results are deterministic.
    while (p > 0 && this.squared[base + p - 1]! > squared) {
      this.squared[base + p] = this.squared[base + p - 1]!;
      this.rows[base + p] = this.rows[base + p - 1]!;
      p--;
    }
    this.squared[base + p] = squared;
    this.rows[base + p] = neighbour;
    this.worst[row] = this.squared[base + this.k - 1]!;
  }

  toGraph(ids: Int32Array): NeighbourGraph {
    const distances = new Float32Array(this.squared.length);
    for (let i = 0; i < distances.length; i++) distances[i] = Math.sqrt(this.squared[i]!);
    return { ids, k: this.k, neighbours: this.rows, distances };
  }
}
