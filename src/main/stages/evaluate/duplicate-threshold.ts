import { currentDuplicateIndex } from '../duplicates/duplicate-index';
import { readSavedThreshold } from '../duplicates/threshold-setting';
import type { Db } from '../../store/database';

/**
 * The near-duplicate threshold the project's duplicate review stands on for
 * this model: the one the user settled on, else the one it proposes from the
 * whole pool's neighbour graph; null when neither exists yet (no graph built
 * for this model), and the caller applies the same proposal rule to the
 * points it has. So a grouped evaluation split joins exactly the pairs the
 * duplicate review calls near-copies.
 */
export function projectDuplicateThreshold(db: Db, modelId: number): number | null {
  const saved = readSavedThreshold(db, modelId);
  if (saved !== null) return saved;
  const index = currentDuplicateIndex(db, null);
  return index.state === 'ready' && index.modelId === modelId && index.proposed > 0 ? index.proposed : null;
}
