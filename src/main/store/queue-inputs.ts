import type { Db } from './database';
import { currentModelId, readSettings } from './settings';
import { frontRevision } from './queue-front-store';
import { embeddingCount, sampleCounts } from './row-counts';

/*
 * What the labeling queue (stages/select/selection-service.ts) reads of the
 * project: the stamp that tells whether its cache is current, the labeled,
 * excluded and all sample ids, the order labels were spent in, and each
 * entry's path and label.
 */

/**
 * The parts of a project the queue depends on, read cheaply. `stamp` changes
 * whenever any of them may have changed (a label, undo or clear appends an
 * annotation; an exclusion or restore appends a status change), from this
 * process or any other, so a request can tell in O(1) queries whether its
 * cached queue is current.
 */
export interface ProjectStamp {
  modelId: number | null;
  embeddings: number;
  lastAnnotation: number;
  lastStatusChange: number;
  samples: number;
  strategy: string;
  randomSeed: number;
  typiclustBatch: number;
  /** The stored front of the queue (moveToFront), as text. */
  front: string;
}

export function readStamp(db: Db): ProjectStamp {
  const modelId = currentModelId(db);
  const settings = readSettings(db);
  const one = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { v: number | null }).v ?? 0;
  return {
    modelId,
    embeddings: modelId === null ? 0 : embeddingCount(db, modelId),
    lastAnnotation: one('SELECT MAX(id) AS v FROM annotations'),
    lastStatusChange: one('SELECT MAX(id) AS v FROM status_changes'),
    samples: one('SELECT MAX(id) AS v FROM samples'),
    strategy: settings.strategy,
    randomSeed: settings.randomSeed,
    typiclustBatch: settings.typiclustBatch,
    front: frontRevision(db),
  };
}

export function labeledSampleIds(db: Db): Set<number> {
  return new Set((db.prepare('SELECT sample_id FROM current_labels').raw().all() as [number][]).map((r) => r[0]));
}

export function excludedSampleIds(db: Db): Set<number> {
  return new Set((db.prepare("SELECT id FROM samples WHERE status = 'excluded'").raw().all() as [number][]).map((r) => r[0]));
}

export function allSampleIds(db: Db): Int32Array {
  const steps = allSampleIdsInSlices(db, Infinity);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Every sample id in ascending order, `sliceRows` ids per step (keyset
 * pages), yielding between steps: a caller on the server's thread reads
 * 100,000 ids without holding it for the whole read.
 */
export function* allSampleIdsInSlices(db: Db, sliceRows: number): Generator<void, Int32Array, void> {
  const page = db.prepare('SELECT id FROM samples WHERE id > ? ORDER BY id LIMIT ?').raw();
  // The kept counts: a COUNT(*) here would read every sample in one step.
  const counts = sampleCounts(db);
  let ids = new Int32Array(counts.active + counts.excluded);
  let filled = 0;
  let last = 0;
  const limit = Number.isFinite(sliceRows) ? sliceRows : -1;
  for (;;) {
    const rows = page.all(last, limit) as [number][];
    if (filled + rows.length > ids.length) {
      const grown = new Int32Array(filled + rows.length);
      grown.set(ids.subarray(0, filled));
      ids = grown;
    }
    for (const [id] of rows) ids[filled++] = id;
    if (rows.length === 0 || limit < 0 || rows.length < limit) break;
    last = rows[rows.length - 1]![0];
    yield;
  }
  return ids.subarray(0, filled);
}

/**
 * Currently labeled samples in the order their current label was first given
 * (labels spent): relabeling keeps a sample's place, a clear or undo that
 * removed the label restarts it.
 */
export function labelsInOrder(db: Db): number[] {
  const rows = db
    .prepare(
      `SELECT l.sample_id,
              (SELECT MIN(a.id) FROM annotations a
                WHERE a.sample_id = l.sample_id AND a.angle IS NOT NULL
                  AND a.id > COALESCE((SELECT MAX(b.id) FROM annotations b WHERE b.sample_id = l.sample_id AND b.angle IS NULL), 0)) AS first_id
       FROM current_labels l
       ORDER BY first_id`,
    )
    .raw()
    .all() as [number, number][];
  return rows.map((r) => r[0]);
}

/**
 * Counts the samples with a vector from model `?` that are labeled or
 * excluded. Written as EXISTS so that SQLite looks each such sample's vector
 * up by its key: as a join it chose to scan the model's every vector and
 * probe the labels (hundreds of ms on the server's thread at a million).
 */
export const EMBEDDED_OUT_OF_QUEUE_SQL = `SELECT COUNT(*) FROM (SELECT sample_id FROM current_labels UNION SELECT id FROM samples WHERE status = 'excluded') k
  WHERE EXISTS (SELECT 1 FROM embeddings e WHERE e.model_id = ? AND e.sample_id = k.sample_id)`;

/**
 * Samples with a vector from this model that are labeled or excluded, so out
 * of its queue: read through the labels and exclusions, never the pool.
 */
export function embeddedOutOfQueue(db: Db, modelId: number): number {
  return db.prepare(EMBEDDED_OUT_OF_QUEUE_SQL).pluck().get(modelId) as number;
}

/**
 * The annotations after annotation `afterId`, oldest first, at most `limit`
 * (a read bounded by the labels given since, whatever the project's size).
 */
export function annotationsSince(db: Db, afterId: number, limit: number): { sampleId: number; angle: number | null }[] {
  const rows = db.prepare('SELECT sample_id, angle FROM annotations WHERE id > ? ORDER BY id LIMIT ?').raw().all(afterId, limit) as [number, number | null][];
  return rows.map(([sampleId, angle]) => ({ sampleId, angle }));
}

/** A queue entry's path and current label, looked up by sample id (statement prepared once per page). */
export function queueEntryInfo(db: Db): (sampleId: number) => { path: string; angle: number | null } | undefined {
  const info = db.prepare('SELECT s.path, l.angle FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id WHERE s.id = ?');
  return (sampleId) => info.get(sampleId) as { path: string; angle: number | null } | undefined;
}
