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
