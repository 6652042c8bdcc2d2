import { exactNeighbourGraph } from './exact-knn';
import { hnswNeighbourGraph } from './hnsw-knn';
import type { GraphWorkOptions, NeighbourGraph } from './neighbour-graph';
import { measureRecall } from './recall';

/**
 * Pools up to this size get the exact graph. Brute force is O(n²·d) (its
 * time grows with the square of the pool: `npm run bench -- duplicates`), while HNSW gives the
 * same clusters on large pools in a fraction of that with its recall
 * measured (≥ 0.99 on clustered latents), so the exact search stops where it
 * would keep the user waiting more than a few seconds.
 */
export const EXACT_LIMIT = 5000;
export const DEFAULT_K = 10;
/** Rows whose exact neighbours are computed to measure an approximate graph's recall. */
export const RECALL_QUERIES = 500;

export interface BuiltGraph {
  graph: NeighbourGraph;
  method: 'exact' | 'hnsw';
  recall: number;
  recallQueries: number;
  seconds: number;
}

export interface BuildGraphOptions extends GraphWorkOptions {
  k?: number;
  /** Overrides EXACT_LIMIT (tests use it to exercise HNSW on a small pool). */
  exactLimit?: number;
  recallQueries?: number;
}

/** The k-NN graph of a pool: exact when small, HNSW with its recall measured against exact search when large. */
export function buildNeighbourGraph(vectors: Float32Array, dim: number, ids: Int32Array, options: BuildGraphOptions = {}): BuiltGraph {
  const k = options.k ?? DEFAULT_K;
  const started = performance.now();
  if (ids.length <= (options.exactLimit ?? EXACT_LIMIT)) {
    const graph = exactNeighbourGraph(vectors, dim, ids, k, options);
    return { graph, method: 'exact', recall: 1, recallQueries: ids.length, seconds: (performance.now() - started) / 1000 };
  }
  const graph = hnswNeighbourGraph(vectors, dim, ids, k, options);
  options.onProgress?.(0, 1, 'measuring recall against exact search');
  const { recall, queries } = measureRecall(graph, vectors, dim, options.recallQueries ?? RECALL_QUERIES);
  return { graph, method: 'hnsw', recall, recallQueries: queries, seconds: (performance.now() - started) / 1000 };
}
