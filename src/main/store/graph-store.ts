import type { NeighbourGraphInfo } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import type { Db } from './database';
import type { BuiltGraph } from '../core/duplicates/build-graph';
import type { NeighbourGraph } from '../core/duplicates/neighbour-graph';

/**
 * The neighbour graph persisted in the project file (table neighbour_graphs,
 * one per model), so a 100,000-sample graph is searched once, not every time
 * the app or the CLI opens the project.
 */

/** Identifies the set of embedded samples a graph was built from: it is stale once this changes. */
export function embeddingFingerprint(db: Db, modelId: number): string {
  const row = db
    .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(sample_id), 0) AS total, COALESCE(MAX(sample_id), 0) AS top FROM embeddings WHERE model_id = ?')
    .get(modelId) as { n: number; total: number; top: number };
  return `${row.n}:${row.total}:${row.top}`;
}

/** The same fingerprint computed from the ids a graph was built from (so it cannot disagree with them). */
export function fingerprintOfIds(ids: Int32Array): string {
  let total = 0;
  let top = 0;
  for (const id of ids) {
    total += id;
    top = Math.max(top, id);
  }
  return `${ids.length}:${total}:${top}`;
}

export function saveGraph(db: Db, modelId: number, fingerprint: string, built: BuiltGraph): NeighbourGraphInfo {
  const { graph } = built;
  const builtAt = new Date().toISOString();
  db.prepare(
    `INSERT OR REPLACE INTO neighbour_graphs
       (model_id, k, sample_count, fingerprint, method, recall, recall_queries, seconds, built_at, sample_ids, neighbours, distances)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    modelId,
    graph.k,
    graph.ids.length,
    fingerprint,
    built.method,
    built.recall,
    built.recallQueries,
    built.seconds,
    builtAt,
    bytesOf(graph.ids),
    bytesOf(graph.neighbours),
    bytesOf(graph.distances),
  );
  return { modelId, k: graph.k, count: graph.ids.length, method: built.method, recall: built.recall, recallQueries: built.recallQueries, seconds: built.seconds, builtAt };
}

interface GraphRow {
  model_id: number;
  k: number;
  sample_count: number;
  fingerprint: string;
  method: 'exact' | 'hnsw';
  recall: number;
  recall_queries: number;
  seconds: number;
  built_at: string;
}

export interface StoredGraphHeader {
  info: NeighbourGraphInfo;
  fingerprint: string;
}

/** The graph's description without its arrays (cheap: used to check freshness on every request). */
export function readGraphHeader(db: Db, modelId: number): StoredGraphHeader | null {
  const row = db
    .prepare('SELECT model_id, k, sample_count, fingerprint, method, recall, recall_queries, seconds, built_at FROM neighbour_graphs WHERE model_id = ?')
    .get(modelId) as GraphRow | undefined;
  if (!row) return null;
  return {
    fingerprint: row.fingerprint,
    info: {
      modelId: row.model_id,
      k: row.k,
      count: row.sample_count,
      method: row.method,
      recall: row.recall,
      recallQueries: row.recall_queries,
      seconds: row.seconds,
      builtAt: row.built_at,
    },
  };
}

export function readGraph(db: Db, modelId: number): NeighbourGraph | null {
  const row = db.prepare('SELECT k, sample_count, sample_ids, neighbours, distances FROM neighbour_graphs WHERE model_id = ?').get(modelId) as
    | { k: number; sample_count: number; sample_ids: Buffer; neighbours: Buffer; distances: Buffer }
    | undefined;
  if (!row) return null;
  const ids = new Int32Array(copyOut(row.sample_ids));
  const neighbours = new Int32Array(copyOut(row.neighbours));
  const distances = new Float32Array(copyOut(row.distances));
  if (ids.length !== row.sample_count || neighbours.length !== row.sample_count * row.k || distances.length !== neighbours.length) {
    throw new FarpointError(`the stored neighbour graph of model ${modelId} is damaged (${ids.length} ids, ${neighbours.length} neighbours for ${row.sample_count} × ${row.k}); rebuild it`, 500);
  }
  return { ids, k: row.k, neighbours, distances };
}

function bytesOf(array: Int32Array | Float32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** A BLOB's Buffer may share a pool and be unaligned: copy it into its own ArrayBuffer. */
function copyOut(blob: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(blob.byteLength);
  new Uint8Array(out).set(blob);
  return out;
}
