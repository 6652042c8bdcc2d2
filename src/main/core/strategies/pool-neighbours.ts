import { hnswNeighbourGraph, type HnswParams } from '../duplicates/hnsw-knn';
import type { Points } from '../evaluation/points';

/**
 * The approximate `wide` nearest neighbours of every row of a pool (HNSW),
 * sorted by exact distance, row-major: `count × wide`, −1 where a row has
 * fewer.
 *
 * Built once per set of vectors and reused: a queue job at 100,000 samples
 * otherwise rebuilt the same graph for every job (one per label while the
 * user labels), and typicality's per-cluster graphs for every batch. The
 * graph depends on the vectors alone (never on labels), so one entry keyed by
 * the vectors' content stays valid until the embeddings change. One entry:
 * the compute worker serves one project at a time.
 */
export function poolNeighbours(points: Points, wide: number, params: HnswParams): Int32Array {
  const key = { count: points.count, dim: points.dim, wide, params: JSON.stringify(params) };
  if (cached && cached.vectors.deref() === points.vectors && sameKey(cached.key, key)) return cached.neighbours;
  const hash = contentHash(points.vectors, points.count * points.dim);
  if (cached && cached.hash === hash && sameKey(cached.key, key)) {
    cached.vectors = new WeakRef(points.vectors);
    return cached.neighbours;
  }
  const ids = new Int32Array(points.count);
  for (let i = 0; i < ids.length; i++) ids[i] = i;
  const graph = hnswNeighbourGraph(points.vectors.subarray(0, points.count * points.dim), points.dim, ids, wide, { params });
  cached = { vectors: new WeakRef(points.vectors), hash, key, neighbours: graph.neighbours };
  return graph.neighbours;
}

/** Forgets the cached graph (tests measuring a cold build). */
export function forgetPoolNeighbours(): void {
  cached = null;
}

interface CacheKey {
  count: number;
  dim: number;
  wide: number;
  params: string;
}

/** The vectors are held weakly (a job's copy must not outlive the job); the content hash recognises the next copy. */
let cached: { vectors: WeakRef<Float32Array>; hash: string; key: CacheKey; neighbours: Int32Array } | null = null;

function sameKey(a: CacheKey, b: CacheKey): boolean {
  return a.count === b.count && a.dim === b.dim && a.wide === b.wide && a.params === b.params;
}

/**
 * Two independent 32-bit FNV-1a-style hashes over the float bits, as one
 * 64-bit key: a job loads its own copy of the embeddings, so identity cannot
 * tell that two copies hold the same vectors. Linear and cheap beside the
 * graph it saves (one pass over the values).
 */
function contentHash(vectors: Float32Array, length: number): string {
  const words = new Uint32Array(vectors.buffer, vectors.byteOffset, length);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ length;
  for (let i = 0; i < length; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ (w >>> 16) ^ (w << 16), 0x5bd1e995) ^ (b >>> 15);
  }
  return `${length}:${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
}
