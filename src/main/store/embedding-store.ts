import { FarpointError } from '../core/errors';
import type { AnnotationSource } from '../../shared/domain';
import type { Db } from './database';
import { embeddingCount } from './row-counts';
import { currentModelId } from './settings';

/**
 * Latent vectors in the project file: one float32 BLOB per (model, sample),
 * little-endian as written by a Float32Array on every platform we ship.
 */

/** Every embedding of one model as contiguous arrays: row i of `vectors` (length `dim`) belongs to `ids[i]`. */
export interface EmbeddingMatrix {
  modelId: number;
  dim: number;
  count: number;
  /** Sample ids in ascending order. */
  ids: Int32Array;
  /** count × dim, row-major. */
  vectors: Float32Array;
}

export interface LoadEmbeddingOptions {
  /** Include samples excluded by the user (default false: only active samples take part in selection). */
  includeExcluded?: boolean;
}

/**
 * The current model's embeddings as one contiguous Float32Array plus the sample
 * ids in the same order (ascending id), or null when the project has no current
 * model yet. Samples without a vector (imported after the last embedding) are
 * simply absent; compare `count` with the active sample count to detect that.
 */
export function loadCurrentEmbeddings(db: Db, options: LoadEmbeddingOptions = {}): EmbeddingMatrix | null {
  const modelId = currentModelId(db);
  if (modelId === null) return null;
  return loadEmbeddings(db, modelId, options);
}

/** One model's embeddings as contiguous arrays (see loadCurrentEmbeddings). */
export function loadEmbeddings(db: Db, modelId: number, options: LoadEmbeddingOptions = {}): EmbeddingMatrix {
  const where = options.includeExcluded ? '' : "AND s.status = 'active'";
  const rows = db
    .prepare(`SELECT e.sample_id AS id, e.vector AS vector FROM embeddings e JOIN samples s ON s.id = e.sample_id WHERE e.model_id = ? ${where} ORDER BY e.sample_id`)
    .raw()
    .iterate(modelId) as IterableIterator<[number, Buffer]>;
  let dim = -1;
  let ids = new Int32Array(1024);
  let vectors = new Float32Array(0);
  let count = 0;
  for (const [id, blob] of rows) {
    if (blob.byteLength % 4 !== 0) throw new FarpointError(`embedding of sample ${id} (model ${modelId}) is ${blob.byteLength} bytes, not a float32 vector`, 500);
    const n = blob.byteLength / 4;
    if (dim < 0) {
      dim = n;
      vectors = new Float32Array(ids.length * dim);
    } else if (n !== dim) {
      throw new FarpointError(`embedding of sample ${id} (model ${modelId}) has ${n} dimensions, expected ${dim}`, 500);
    }
    if (count === ids.length) {
      const grownIds = new Int32Array(ids.length * 2);
      grownIds.set(ids);
      ids = grownIds;
      const grownVectors = new Float32Array(ids.length * dim);
      grownVectors.set(vectors);
      vectors = grownVectors;
    }
    ids[count] = id;
    // Copy through a byte view: a BLOB's Buffer may not be 4-byte aligned.
    new Uint8Array(vectors.buffer, count * dim * 4, blob.byteLength).set(blob);
    count++;
  }
  if (dim < 0) dim = modelDim(db, modelId);
  return { modelId, dim, count, ids: ids.slice(0, count), vectors: vectors.slice(0, count * Math.max(dim, 0)) };
}

/** The latent dimension recorded with a model, 0 when unknown. */
function modelDim(db: Db, modelId: number): number {
  const row = db.prepare('SELECT settings FROM models WHERE id = ?').get(modelId) as { settings: string } | undefined;
  if (!row) throw new FarpointError(`no model with id ${modelId}`, 404);
  const settings = JSON.parse(row.settings) as { latentDim?: number };
  return settings.latentDim ?? 0;
}

/** Writes a batch of vectors for one model (replacing earlier ones), inside the caller's transaction if any. */
export function saveEmbeddings(db: Db, modelId: number, ids: ArrayLike<number>, vectors: Float32Array, dim: number): void {
  if (vectors.length !== ids.length * dim) {
    throw new FarpointError(`saveEmbeddings: ${vectors.length} values do not make ${ids.length} vectors of ${dim}`, 500);
  }
  const insert = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?) ON CONFLICT(model_id, sample_id) DO UPDATE SET vector = excluded.vector');
  db.transaction(() => {
    for (let i = 0; i < ids.length; i++) {
      const row = vectors.subarray(i * dim, (i + 1) * dim);
      insert.run(modelId, ids[i], Buffer.from(row.buffer, row.byteOffset, row.byteLength));
    }
  })();
}

/** The largest sample id with a vector from this model (0 for none). */
export function maxEmbeddedSampleId(db: Db, modelId: number): number {
  return (db.prepare('SELECT COALESCE(MAX(sample_id), 0) FROM embeddings WHERE model_id = ?').pluck().get(modelId) as number) ?? 0;
}

/** Count and sum of this model's embedded sample ids in (after, upTo]: one slice of a fingerprint. */
export function embeddedIdSlice(db: Db): (modelId: number, after: number, upTo: number) => { n: number; total: number } {
  const slice = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(sample_id), 0) AS total FROM embeddings WHERE model_id = ? AND sample_id > ? AND sample_id <= ?');
  return (modelId, after, upTo) => slice.get(modelId, after, upTo) as { n: number; total: number };
}

/** How many samples have a vector from this model. */
export function countEmbeddings(db: Db, modelId: number): number {
  return embeddingCount(db, modelId);
}

/** Bytes of one vector of this model (its dimension times 4), 0 without any. */
export function embeddingBytes(db: Db, modelId: number): number {
  return (db.prepare('SELECT length(vector) FROM embeddings WHERE model_id = ? LIMIT 1').pluck().get(modelId) as number | undefined) ?? 0;
}

/**
 * This model's [sample id, vector] rows with ids above `after`, ascending, at
 * most `limit` (−1: all), streamed as SQLite returns them; the statement is
 * prepared once for every slice a caller reads.
 */
export function embeddingRowsAfter(db: Db): (modelId: number, after: number, limit: number) => IterableIterator<[number, Buffer]> {
  const slice = db.prepare('SELECT sample_id, vector FROM embeddings WHERE model_id = ? AND sample_id > ? ORDER BY sample_id LIMIT ?').raw();
  return (modelId, after, limit) => slice.iterate(modelId, after, limit) as IterableIterator<[number, Buffer]>;
}

/** The labeled samples' vectors of one model, with their current labels: row i of `vectors` belongs to `ids[i]`. */
export interface LabeledEmbeddings {
  dim: number;
  ids: Int32Array;
  angles: Float64Array;
  sources: AnnotationSource[];
  vectors: Float32Array;
}

/**
 * One sample's vector from one model, or null when it has none. Copied out of
 * the BLOB so the caller gets an aligned Float32Array it owns.
 */
export function loadEmbedding(db: Db, modelId: number, sampleId: number): Float32Array | null {
  const blob = db.prepare('SELECT vector FROM embeddings WHERE model_id = ? AND sample_id = ?').pluck().get(modelId, sampleId) as Buffer | undefined;
  if (!blob) return null;
  if (blob.byteLength % 4 !== 0) throw new FarpointError(`embedding of sample ${sampleId} (model ${modelId}) is ${blob.byteLength} bytes, not a float32 vector`, 500);
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/**
 * Vectors of the active samples that have a current label, joined in SQL so
 * only the labeled rows are read: the labeled set is small next to the pool,
 * and loading every vector to keep a few would cost the whole table per image.
 * Vectors whose length differs from `dim` (a damaged row) are skipped rather
 * than failing the strip.
 */
export function loadLabeledEmbeddings(db: Db, modelId: number, dim: number): LabeledEmbeddings {
  const rows = db
    .prepare(
      `SELECT l.sample_id, l.angle, l.source, e.vector FROM current_labels l
       JOIN embeddings e ON e.sample_id = l.sample_id AND e.model_id = ?
       JOIN samples s ON s.id = l.sample_id AND s.status = 'active'
       ORDER BY l.sample_id`,
    )
    .raw()
    .all(modelId) as [number, number, AnnotationSource, Buffer][];
  const kept = rows.filter((r) => r[3].byteLength === dim * 4);
  const ids = new Int32Array(kept.length);
  const angles = new Float64Array(kept.length);
  const vectors = new Float32Array(kept.length * dim);
  const bytes = new Uint8Array(vectors.buffer);
  kept.forEach(([id, angle, , blob], i) => {
    ids[i] = id;
    angles[i] = angle;
    // Byte copy: a BLOB's Buffer may not be 4-byte aligned.
    bytes.set(blob, i * dim * 4);
  });
  return { dim, ids, angles, sources: kept.map((r) => r[2]), vectors };
}
