import type { Db } from './database';

/*
 * Counts of embeddings per model and of samples per status, read from the
 * tables the schema's triggers keep (migration 17), so asking costs the same
 * at any pool size. A file opened read-only before that migration has no
 * such tables: it is counted row by row, as before.
 */

function hasCounts(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sample_counts'").get() !== undefined;
}

/** How many samples have a vector from this model. */
export function embeddingCount(db: Db, modelId: number): number {
  if (!hasCounts(db)) return db.prepare('SELECT COUNT(*) FROM embeddings WHERE model_id = ?').pluck().get(modelId) as number;
  return (db.prepare('SELECT n FROM embedding_counts WHERE model_id = ?').pluck().get(modelId) as number | undefined) ?? 0;
}

/** Every model's count of embedded samples (models without any are absent). */
export function embeddingCounts(db: Db): Map<number, number> {
  const sql = hasCounts(db) ? 'SELECT model_id, n FROM embedding_counts WHERE n > 0' : 'SELECT model_id, COUNT(*) FROM embeddings GROUP BY model_id';
  return new Map(db.prepare(sql).raw().all() as [number, number][]);
}

/** The project's samples: active and excluded. */
export function sampleCounts(db: Db): { active: number; excluded: number } {
  if (!hasCounts(db)) {
    const excluded = db.prepare("SELECT COUNT(*) FROM samples WHERE status = 'excluded'").pluck().get() as number;
    return { active: (db.prepare('SELECT COUNT(*) FROM samples').pluck().get() as number) - excluded, excluded };
  }
  const counts = new Map(db.prepare('SELECT status, n FROM sample_counts').raw().all() as [string, number][]);
  return { active: counts.get('active') ?? 0, excluded: counts.get('excluded') ?? 0 };
}
