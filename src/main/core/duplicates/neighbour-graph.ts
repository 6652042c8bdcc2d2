/**
 * A k-nearest-neighbour graph over latent vectors: row i is sample `ids[i]`,
 * its neighbours are rows of the same graph, nearest first, with their
 * Euclidean distances. Missing neighbours (a pool smaller than k + 1) are -1.
 */
export interface NeighbourGraph {
  ids: Int32Array;
  k: number;
  /** count × k row indices, -1 where there is no neighbour. */
  neighbours: Int32Array;
  /** count × k Euclidean distances, Infinity where there is no neighbour. */
  distances: Float32Array;
}

/** Progress and cancellation for long graph work; both optional. */
export interface GraphWorkOptions {
  onProgress?: (done: number, total: number, message: string) => void;
  isCancelled?: () => boolean;
}

/** The message a cancelled graph build stops with (a JobCancelled). */
export const GRAPH_CANCELLED = 'neighbour graph cancelled';

export function graphCount(graph: NeighbourGraph): number {
  return graph.ids.length;
}

/** Each sample's distance to its nearest other sample (Infinity when alone). */
export function nearestDistances(graph: NeighbourGraph): Float64Array {
  const count = graphCount(graph);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = graph.k > 0 ? graph.distances[i * graph.k]! : Infinity;
  return out;
}
