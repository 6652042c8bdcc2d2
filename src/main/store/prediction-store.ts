import type { PredictionInfo } from '../../shared/domain';
import { writeOrExplain, type Db } from './database';
import { readMeta, writeMeta } from './settings';

/** The orientation model whose predictions the annotation tool suggests, and its predictions. */

const CURRENT_REGRESSOR = 'current_regressor_id';

export function currentRegressorId(db: Db): number | null {
  const raw = readMeta(db, CURRENT_REGRESSOR);
  return raw === null ? null : Number(raw);
}

export function setCurrentRegressorId(db: Db, id: number): void {
  writeMeta(db, CURRENT_REGRESSOR, String(id));
}

/** A trained orientation model as the models table keeps it. */
export interface RegressorToSave {
  /** How it was trained, stored as JSON. */
  settings: unknown;
  backend: string;
  /** The final training loss; a non-finite one is stored as null. */
  loss: number;
  /** The model's topology (TensorFlow.js's JSON) and its weights. */
  topology: unknown;
  weights: Buffer;
}

/** Stores a trained orientation model, ready; its id. */
export function saveRegressor(db: Db, regressor: RegressorToSave): number {
  const createdAt = new Date().toISOString();
  return Number(
    writeOrExplain(() =>
      db
        .prepare(
          `INSERT INTO models (kind, state, settings, backend, created_at, finished_at, epochs, train_loss, history, topology, weights)
           VALUES ('regressor', 'ready', ?, ?, ?, ?, 0, ?, '[]', ?, ?)`,
        )
        .run(
          JSON.stringify(regressor.settings),
          regressor.backend,
          createdAt,
          createdAt,
          Number.isFinite(regressor.loss) ? regressor.loss : null,
          JSON.stringify(regressor.topology),
          regressor.weights,
        ).lastInsertRowid,
    ),
  );
}

/** Stores one model's predictions (degrees), replacing earlier ones of that model; in the caller's transaction if any. */
export function savePredictions(db: Db, modelId: number, sampleIds: ArrayLike<number>, angles: ArrayLike<number>): void {
  const insert = db.prepare(
    'INSERT INTO predictions (model_id, sample_id, angle) VALUES (?, ?, ?) ON CONFLICT(model_id, sample_id) DO UPDATE SET angle = excluded.angle',
  );
  for (let i = 0; i < sampleIds.length; i++) insert.run(modelId, sampleIds[i]!, angles[i]!);
}

/** The current regressor's prediction for a sample, or null when there is none. */
export function predictionFor(db: Db, sampleId: number): PredictionInfo | null {
  const modelId = currentRegressorId(db);
  if (modelId === null) return null;
  const row = db
    .prepare('SELECT p.angle, m.created_at FROM predictions p JOIN models m ON m.id = p.model_id WHERE p.model_id = ? AND p.sample_id = ?')
    .get(modelId, sampleId) as { angle: number; created_at: string } | undefined;
  return row ? { sampleId, angle: row.angle, modelId, createdAt: row.created_at } : null;
}
