import { seededRandom } from '../random';
import { exactNeighboursOf, squaredDistance } from './exact-knn';
import type { NeighbourGraph } from './neighbour-graph';

export interface RecallMeasure {
  recall: number;
  queries: number;
}

/**
 * Recall@k of a graph against exact search on a seeded sample of rows: the
 * share of each sampled row's true k nearest neighbours that the graph lists.
 * A listed neighbour at the same distance as the true k-th counts as found,
 * so ties between equidistant samples (identical vectors) are not misses.
 */
export function measureRecall(graph: NeighbourGraph, vectors: Float32Array, dim: number, sampleSize: number, seed = 1): RecallMeasure {
  const count = graph.ids.length;
  const k = Math.min(graph.k, count - 1);
  if (k <= 0) return { recall: 1, queries: 0 };
  const queryRows = sampleRows(count, sampleSize, seed);
  const truth = exactNeighboursOf(vectors, dim, count, queryRows, graph.k);
  let found = 0;
  queryRows.forEach((row, q) => {
    const kthTrue = squaredDistance(vectors, row * dim, truth[q * graph.k + k - 1]! * dim, dim);
    const tolerance = kthTrue * 1e-9 + 1e-12;
    let hits = 0;
    for (let c = 0; c < k; c++) {
      const listed = graph.neighbours[row * graph.k + c]!;
      if (listed >= 0 && squaredDistance(vectors, row * dim, listed * dim, dim) <= kthTrue + tolerance) hits++;
    }
    found += hits;
  });
  return { recall: found / (queryRows.length * k), queries: queryRows.length };
}

/** Distinct rows chosen by a seeded partial Fisher–Yates shuffle (all rows when the pool is small). */
export function sampleRows(count: number, sampleSize: number, seed: number): number[] {
  const size = Math.min(count, sampleSize);
  const random = seededRandom(seed);
  const picked = new Map<number, number>();
  const rows: number[] = [];
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (count - i));
    const atJ = picked.get(j) ?? j;
    picked.set(j, picked.get(i) ?? i);
    rows.push(atJ);
  }
  return rows;
}
