import type { Db } from './database';
import { readMeta, writeMeta } from './settings';

const KEY = 'typiclust_batch';

/** TypiClust's current batch, stored so a restart, the CLI and the UI keep the same batch until it is labeled. */
export interface StoredTypiclustBatch {
  modelId: number;
  batchSize: number;
  seed: number;
  sampleIds: number[];
}

/** The stored batch if it was chosen with this model, batch size and seed; else null (a new one is chosen). */
export function readTypiclustBatch(db: Db, want: { modelId: number; batchSize: number; seed: number }): number[] | null {
  const raw = readMeta(db, KEY);
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as StoredTypiclustBatch;
    if (stored.modelId !== want.modelId || stored.batchSize !== want.batchSize || stored.seed !== want.seed) return null;
    return Array.isArray(stored.sampleIds) ? stored.sampleIds.filter((id) => Number.isSafeInteger(id)) : null;
  } catch {
    return null; // unreadable: choose a new batch
  }
}

/**
 * Stores the batch; false when the file cannot be written (a read-only
 * project): the queue then keeps the batch for this session only.
 */
export function writeTypiclustBatch(db: Db, batch: StoredTypiclustBatch): boolean {
  try {
    writeMeta(db, KEY, JSON.stringify(batch));
    return true;
  } catch {
    return false;
  }
}
