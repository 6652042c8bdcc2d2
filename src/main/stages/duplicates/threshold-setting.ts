import type { Db } from '../../store/database';
import { deleteMeta, readMeta, writeMeta } from '../../store/settings';

/**
 * The threshold the user settled on, kept in the project's meta table per
 * model: a new model has a different latent scale, so its threshold starts
 * from the proposal again.
 */
const KEY = 'duplicates.threshold';

export function readSavedThreshold(db: Db, modelId: number | null): number | null {
  const raw = readMeta(db, KEY);
  if (raw === null) return null;
  const saved = JSON.parse(raw) as { modelId: number | null; threshold: number };
  return saved.modelId === modelId ? saved.threshold : null;
}

/** Saves the user's threshold for this model; null forgets it (back to the proposal). */
export function saveThreshold(db: Db, modelId: number | null, threshold: number | null): void {
  if (threshold === null) deleteMeta(db, KEY);
  else writeMeta(db, KEY, JSON.stringify({ modelId, threshold }));
}
