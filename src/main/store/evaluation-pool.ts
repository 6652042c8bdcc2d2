import type { Db } from './database';
import { currentModelId } from './settings';

/** Active labeled samples with a vector of the current model: the samples an evaluation can split. */
export function labeledEmbeddedCount(db: Db): number {
  const model = currentModelId(db);
  if (model === null) return 0;
  return db
    .prepare(
      `SELECT COUNT(*) FROM current_labels l
       JOIN samples s ON s.id = l.sample_id AND s.status = 'active'
       JOIN embeddings e ON e.model_id = ? AND e.sample_id = l.sample_id`,
    )
    .pluck()
    .get(model) as number;
}

/** Active labeled samples, ascending id: [id, path, angle]. */
export function activeLabeledSamples(db: Db): [number, string, number][] {
  return db
    .prepare("SELECT s.id, s.path, l.angle FROM samples s JOIN current_labels l ON l.sample_id = s.id WHERE s.status = 'active' ORDER BY s.id")
    .raw()
    .all() as [number, string, number][];
}

/** Active samples without a label, ascending id: [id, path]. */
export function activeUnlabeledSamples(db: Db): [number, string][] {
  return db
    .prepare("SELECT s.id, s.path FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id WHERE s.status = 'active' AND l.angle IS NULL ORDER BY s.id")
    .raw()
    .all() as [number, string][];
}
