import type { Db } from './database';

/**
 * The 2-D projection of one model's embeddings (table latent_maps), stored by
 * the map job so that no request ever computes a PCA, and reopening a project
 * shows its map at once.
 */
export interface Projection {
  modelId: number;
  /** Which embeddings it was computed from (embeddingFingerprint); stale once that changes. */
  fingerprint: string;
  dimension: number;
  /** Sample ids, ascending. */
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
  explainedVariance: [number, number];
}

const bytesOf = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A BLOB's Buffer may not be 4-byte aligned: copy it into a fresh typed array. */
function copyInto<T extends Int32Array | Float32Array>(blob: Buffer, make: (n: number) => T): T {
  const out = make(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

export function saveProjection(db: Db, p: Projection): void {
  db.prepare(
    `INSERT OR REPLACE INTO latent_maps (model_id, fingerprint, sample_count, dimension, explained_1, explained_2, computed_at, sample_ids, x, y)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(p.modelId, p.fingerprint, p.ids.length, p.dimension, p.explainedVariance[0], p.explainedVariance[1], new Date().toISOString(), bytesOf(p.ids), bytesOf(p.x), bytesOf(p.y));
}

export function loadProjection(db: Db, modelId: number): Projection | null {
  const row = db.prepare('SELECT fingerprint, dimension, explained_1, explained_2, sample_ids, x, y FROM latent_maps WHERE model_id = ?').get(modelId) as
    | { fingerprint: string; dimension: number; explained_1: number; explained_2: number; sample_ids: Buffer; x: Buffer; y: Buffer }
    | undefined;
  if (!row) return null;
  const ids = copyInto(row.sample_ids, (n) => new Int32Array(n));
  const x = copyInto(row.x, (n) => new Float32Array(n));
  const y = copyInto(row.y, (n) => new Float32Array(n));
  // A row that disagrees with itself is treated as absent: the job computes it again.
  if (x.length !== ids.length || y.length !== ids.length) return null;
  return { modelId, fingerprint: row.fingerprint, dimension: row.dimension, ids, x, y, explainedVariance: [row.explained_1, row.explained_2] };
}
