import type { AutoencoderInfo, EncoderKind, EpochRecord } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import type { Db } from './database';
import { writeOrExplain } from './database';
import { embeddingCounts } from './row-counts';
import { currentModelId } from './settings';

/** What defines an autoencoder's shape; stored with every model (stages/train/autoencoder.ts builds it). */
export interface AutoencoderShape {
  inputSize: number;
  channels: 1 | 3;
  latentDim: number;
}

/** One weight group of a stored model: its name and its tensors' shapes (stages/train/weights-codec.ts). */
export interface WeightGroup {
  name: string;
  shapes: number[][];
}

/** What a training run was asked for; stored as the model's settings. Two runs with equal settings train the same model. */
export interface TrainSettings extends AutoencoderShape {
  seed: number;
  batchSize: number;
  learningRate: number;
  validationFraction: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /**
   * Above this many active samples, training decodes and trains on a seeded random sample of this many
   * (train/training-sample.ts). Null in models trained before the cap existed: they trained on every active sample.
   */
  maxTrainingImages: number | null;
  /** Each image's tone stretched to the full range before it enters the network (train/tone-stretch.ts); embedding applies it too. */
  normaliseTone: boolean;
}

/** How many images a run trained on (its sample, validation included) out of the active samples it drew them from. */
export interface TrainingSampleCount {
  images: number;
  pool: number;
}

/** Everything needed to continue a run exactly where its last completed epoch ended. */
export interface CheckpointState {
  epoch: number;
  history: EpochRecord[];
  bestEpoch: number;
  bestValLoss: number;
  epochsWithoutImprovement: number;
  manifest: WeightGroup[];
  /** The sample ids a capped run drew (absent when it trains on every active sample): a resumed run trains on these. */
  sampleIds?: number[];
}

interface ModelRow {
  id: number;
  encoder: EncoderKind;
  state: AutoencoderInfo['state'];
  settings: string;
  backend: string;
  created_at: string;
  finished_at: string | null;
  epochs: number;
  train_loss: number | null;
  val_loss: number | null;
  history: string;
  topology: string | null;
}

/**
 * A stored model's settings. Models trained before the sample cap and tone normalisation existed lack those fields:
 * they trained on every active sample, without normalisation, so their embeddings must not apply it.
 */
function parseSettings(json: string): TrainSettings {
  const parsed = JSON.parse(json) as Omit<TrainSettings, 'maxTrainingImages' | 'normaliseTone'> & Partial<TrainSettings>;
  return { ...parsed, maxTrainingImages: parsed.maxTrainingImages ?? null, normaliseTone: parsed.normaliseTone ?? false };
}

function toInfo(row: ModelRow, current: number | null, embedded: number): AutoencoderInfo {
  const settings = parseSettings(row.settings);
  const topology = row.topology ? (JSON.parse(row.topology) as { sample?: TrainingSampleCount }) : null;
  return {
    id: row.id,
    state: row.state,
    encoder: row.encoder,
    inputSize: settings.inputSize,
    channels: settings.channels,
    latentDim: settings.latentDim,
    seed: settings.seed,
    batchSize: settings.batchSize,
    maxTrainingImages: settings.maxTrainingImages,
    normaliseTone: settings.normaliseTone,
    sample: topology?.sample ?? null,
    backend: row.backend,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    epochs: row.epochs,
    trainLoss: row.train_loss,
    valLoss: row.val_loss,
    history: JSON.parse(row.history) as EpochRecord[],
    embedded,
    current: row.id === current,
  };
}

export function listAutoencoders(db: Db): AutoencoderInfo[] {
  const current = currentModelId(db);
  const rows = db.prepare("SELECT * FROM models WHERE kind = 'autoencoder' ORDER BY id DESC").all() as ModelRow[];
  const counts = embeddingCounts(db);
  return rows.map((r) => toInfo(r, current, counts.get(r.id) ?? 0));
}

export function getAutoencoder(db: Db, id: number): AutoencoderInfo {
  const found = listAutoencoders(db).find((m) => m.id === id);
  if (!found) throw new FarpointError(`no autoencoder with id ${id}`, 404);
  return found;
}

export function settingsOf(db: Db, id: number): TrainSettings {
  const row = db.prepare("SELECT settings FROM models WHERE id = ? AND kind = 'autoencoder'").get(id) as { settings: string } | undefined;
  if (!row) throw new FarpointError(`no autoencoder with id ${id}`, 404);
  return parseSettings(row.settings);
}

export function createModel(db: Db, settings: TrainSettings, backend: string, encoder: EncoderKind = 'autoencoder'): number {
  return writeOrExplain(() =>
    Number(
      db
        .prepare("INSERT INTO models (kind, encoder, state, settings, backend, created_at) VALUES ('autoencoder', ?, 'training', ?, ?, ?)")
        .run(encoder, JSON.stringify(settings), backend, new Date().toISOString()).lastInsertRowid,
    ),
  );
}

/**
 * The newest unfinished run (killed while training, or cancelled) of the
 * same encoder with the same settings and a checkpoint, so asking again continues it.
 */
export function findResumable(db: Db, settings: TrainSettings, encoder: EncoderKind = 'autoencoder'): { modelId: number; state: CheckpointState; weights: Buffer } | null {
  const rows = db
    .prepare(
      `SELECT m.id, m.settings, c.state, c.weights FROM models m JOIN checkpoints c ON c.model_id = m.id
       WHERE m.kind = 'autoencoder' AND m.encoder = ? AND m.state IN ('training', 'cancelled') ORDER BY m.id DESC`,
    )
    .all(encoder) as { id: number; settings: string; state: string; weights: Buffer }[];
  const wanted = JSON.stringify(settings);
  const row = rows.find((r) => JSON.stringify(JSON.parse(r.settings)) === wanted);
  return row ? { modelId: row.id, state: JSON.parse(row.state) as CheckpointState, weights: row.weights } : null;
}

/** One committed transaction per epoch: a crash after this loses at most the epoch in progress. */
export function saveCheckpoint(db: Db, modelId: number, state: CheckpointState, weights: Buffer): void {
  writeOrExplain(() =>
    db
      .transaction(() => {
        db.prepare(
          'INSERT INTO checkpoints (model_id, epoch, state, weights, saved_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(model_id) DO UPDATE SET epoch = excluded.epoch, state = excluded.state, weights = excluded.weights, saved_at = excluded.saved_at',
        ).run(modelId, state.epoch, JSON.stringify(state), weights, new Date().toISOString());
        db.prepare("UPDATE models SET epochs = ?, history = ?, state = 'training' WHERE id = ?").run(state.epoch, JSON.stringify(state.history), modelId);
      })
      .immediate(),
  );
}

export function markModel(db: Db, modelId: number, state: 'cancelled' | 'failed'): void {
  writeOrExplain(() => db.prepare('UPDATE models SET state = ?, finished_at = ? WHERE id = ?').run(state, new Date().toISOString(), modelId));
}

/** Stores the trained weights and final figures, and drops the checkpoint (the model itself is now the record). */
export function finishModel(
  db: Db,
  modelId: number,
  result: { threads: 1 | 2; epochs: number; trainLoss: number; valLoss: number; history: EpochRecord[]; manifest: WeightGroup[]; weights: Buffer; sample: TrainingSampleCount },
): void {
  writeOrExplain(() =>
    db
      .transaction(() => {
        db.prepare(
          "UPDATE models SET state = 'ready', finished_at = ?, epochs = ?, train_loss = ?, val_loss = ?, history = ?, topology = ?, weights = ? WHERE id = ?",
        ).run(new Date().toISOString(), result.epochs, result.trainLoss, result.valLoss, JSON.stringify(result.history), JSON.stringify({ weights: result.manifest, trainThreads: result.threads, sample: result.sample }), result.weights, modelId);
        db.prepare('DELETE FROM checkpoints WHERE model_id = ?').run(modelId);
      })
      .immediate(),
  );
}

export function readModelWeights(db: Db, modelId: number): { encoder: EncoderKind; settings: TrainSettings; manifest: WeightGroup[]; weights: Buffer } {
  const row = db.prepare("SELECT encoder, state, settings, topology, weights FROM models WHERE id = ? AND kind = 'autoencoder'").get(modelId) as
    | { encoder: EncoderKind; state: string; settings: string; topology: string | null; weights: Buffer | null }
    | undefined;
  if (!row) throw new FarpointError(`no autoencoder with id ${modelId}`, 404);
  if (row.state !== 'ready' || !row.weights || !row.topology) throw new FarpointError(`autoencoder ${modelId} is not trained (state: ${row.state})`, 409);
  return { encoder: row.encoder, settings: parseSettings(row.settings), manifest: (JSON.parse(row.topology) as { weights: WeightGroup[] }).weights, weights: row.weights };
}

/** The newest trained autoencoder, for embedding when none is named. */
export function latestReadyModel(db: Db): number | null {
  const row = db.prepare("SELECT id FROM models WHERE kind = 'autoencoder' AND state = 'ready' ORDER BY id DESC LIMIT 1").get() as { id: number } | undefined;
  return row?.id ?? null;
}
