import type { Variable } from '@tensorflow/tfjs';
import { DEFAULT_MAX_TRAINING_IMAGES, DEFAULT_TRAINING_EPOCHS } from '../../../shared/contract/ml-requests';
import type { EncoderKind, EpochRecord, JobProgress, TrainResult } from '../../../shared/domain';
import { DEFAULT_ENCODER } from '../../../shared/encoder-kinds';
import { seededRandom } from '../../core/random';
import { JobCancelled } from '../../core/job-types';
import { FarpointError } from '../../core/errors';
import type { Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { checkShape } from './autoencoder';
import { shuffledIndices } from './batches';
import { BestWeights } from './best-weights';
import { buildTrainee } from './build-trainee';
import { adamMemory, FlatAdam } from './flat-adam';
import { copyVariablesInto, parameterCount } from './flat-weights';
import { GradientHelper, TrainingHelperFailed } from './gradient-helper';
import { createModel, findResumable, finishModel, markModel, type CheckpointState, type TrainSettings } from '../../store/model-store';
import { loadPixels, type PixelSet } from './pixels';
import { stretchPixelSet } from './tone-stretch';
import { trainingSample, type TrainingSample } from './training-sample';
import { loadTf, type TfRuntime } from './tf-backend';
import { firstState, restoreCheckpoint } from './train-checkpoint';
import { trainEpochs, type TrainingRun } from './train-epochs';
import { STRIP_COUNT, TrainProgress } from './train-progress';
import { trainThreads } from './train-threads';
import { encodeWeights } from './weights-codec';

export interface TrainOptions {
  /** Which self-supervised encoder to train (default the autoencoder). */
  encoder?: EncoderKind;
  epochs?: number;
  inputSize?: number;
  channels?: 1 | 3;
  latentDim?: number;
  seed?: number;
  batchSize?: number;
  patience?: number;
  validationFraction?: number;
  learningRate?: number;
  /** Above this many active samples, train on a seeded random sample of this many (default DEFAULT_MAX_TRAINING_IMAGES). */
  maxTrainingImages?: number;
  /** Stretch each image's tone before it enters the network (tone-stretch.ts); stored with the model, so embedding does too. */
  normaliseTone?: boolean;
  /** Start a new model even if an interrupted run with the same settings could be resumed. */
  fresh?: boolean;
  /** 1 or 2 training threads; default chosen by `trainThreads`. */
  threads?: 1 | 2;
}

export interface TrainHooks {
  onProgress?(progress: JobProgress): void;
  isCancelled?(): boolean;
}

export const DEFAULT_EPOCHS = DEFAULT_TRAINING_EPOCHS;

/** The run's settings: explicit options over the project's settings over the defaults. */
export function resolveTrainSettings(db: Db, options: TrainOptions): TrainSettings {
  const project = readSettings(db);
  const settings: TrainSettings = {
    inputSize: options.inputSize ?? project.inputSize,
    channels: options.channels ?? project.channels,
    latentDim: options.latentDim ?? project.latentDim,
    seed: options.seed ?? project.randomSeed,
    batchSize: options.batchSize ?? 32,
    learningRate: options.learningRate ?? 1e-3,
    validationFraction: options.validationFraction ?? 0.1,
    patience: options.patience ?? 3,
    maxTrainingImages: options.maxTrainingImages ?? DEFAULT_MAX_TRAINING_IMAGES,
    normaliseTone: options.normaliseTone ?? false,
  };
  checkShape(settings);
  const cap = settings.maxTrainingImages;
  if (cap === null || !Number.isInteger(cap) || cap < 2) throw new FarpointError(`maxTrainingImages must be an integer of at least 2, got ${cap}`);
  return settings;
}

/**
 * Trains an encoder on the active samples (above `maxTrainingImages` of
 * them, on a seeded random sample of that many: training-sample.ts): the autoencoder (reconstruction
 * loss, no augmentation: orientation must stay visible in the latent space)
 * or, with `encoder: 'contrastive'`, the contrastive encoder (NT-Xent on two
 * views per image from augmentations that never rotate or flip).
 * Seeded split, initialisation and shuffles make a run reproducible on one
 * backend. After every epoch the weights, optimizer state and history are
 * committed as a checkpoint, so a killed or cancelled run asked again with
 * the same settings continues from its last finished epoch. Stops early when
 * the validation loss has not improved for `patience` epochs and keeps the
 * best epoch's weights.
 */
export async function trainAutoencoder(db: Db, options: TrainOptions = {}, hooks: TrainHooks = {}): Promise<TrainResult> {
  const settings = resolveTrainSettings(db, options);
  const maxEpochs = options.epochs ?? DEFAULT_EPOCHS;
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1 || maxEpochs > 10_000) throw new FarpointError(`epochs must be an integer from 1 to 10000, got ${maxEpochs}`);
  const runtime = await loadTf();
  const started = performance.now();
  const encoder = options.encoder ?? DEFAULT_ENCODER;
  const resumable = options.fresh ? null : findResumable(db, settings, encoder);
  // A resumed run trains on the sample its checkpoint recorded; a new one draws it (the same for the same seed and pool).
  const sample = trainingSample(db, settings.maxTrainingImages!, settings.seed, resumable?.state.sampleIds);
  // The second thread starts now, so its TensorFlow.js is loaded by the time the pixels are.
  const threads = trainThreads(runtime.backend, Math.round(sample.sources.length * (1 - settings.validationFraction)), options.threads);
  const helper = threads === 2 ? new GradientHelper(runtime.backend) : null;
  try {
    return await trainWith(db, settings, encoder, maxEpochs, { resumable, sample }, hooks, runtime, helper, started);
  } finally {
    await helper?.close();
  }
}

async function trainWith(
  db: Db,
  settings: TrainSettings,
  encoder: EncoderKind,
  maxEpochs: number,
  { resumable, sample }: { resumable: ReturnType<typeof findResumable>; sample: TrainingSample },
  hooks: TrainHooks,
  runtime: TfRuntime,
  helper: GradientHelper | null,
  started: number,
): Promise<TrainResult> {
  const { tf } = runtime;
  const progress = new TrainProgress(hooks, maxEpochs, runtime.backend, encoder);
  const { pixels, split } = await decodeForTraining(db, settings, sample, hooks, progress);
  const { set } = pixels;
  const modelId = resumable?.modelId ?? createModel(db, settings, runtime.backend, encoder);
  const model = buildTrainee(tf, encoder, settings);
  const best = new BestWeights(tf, model.variables);
  const stripRows = split.val.slice(0, Math.min(STRIP_COUNT, split.val.length));
  try {
    const adam = await startOptimizer(settings, encoder, helper, set, model.variables);
    const batchesPerEpoch = Math.ceil(split.train.length / settings.batchSize);
    const run: TrainingRun = {
      tf, db, settings, maxEpochs, hooks, progress, model, adam, helper, set, split, stripRows, modelId, best,
      sampleIds: sample.drawnIds ?? undefined, batchesPerEpoch, throughput: { seconds: 0, images: 0 },
    };
    const resumedState = restoreOrStart(run, resumable);
    copyVariablesInto(model.variables, adam.memory.weights);
    progress.extra.batches = batchesPerEpoch;
    progress.extra.phase = 'training';
    const { state, stoppedEarly } = await trainEpochs(run, resumedState);
    const bestRecord = finishWithBest(run, state, { images: set.ids.length, pool: sample.pool });
    return {
      modelId,
      encoder,
      backend: runtime.backend,
      threads: helper ? 2 : 1,
      resumedFromEpoch: resumable ? resumedState.epoch + 1 : null,
      epochs: state.epoch,
      bestEpoch: state.bestEpoch,
      stoppedEarly,
      trainLoss: bestRecord.trainLoss,
      valLoss: bestRecord.valLoss,
      trainImages: split.train.length,
      valImages: split.val.length,
      poolImages: sample.pool,
      imagesPerSecond: run.throughput.seconds > 0 ? run.throughput.images / run.throughput.seconds : 0,
      seconds: (performance.now() - started) / 1000,
      history: state.history,
      unreadable: pixels.failures,
      embedding: null,
    };
  } catch (err) {
    // A failed second thread leaves the run as a killed one would: 'training', resumable from its last checkpoint.
    if (!(err instanceof TrainingHelperFailed)) markModel(db, modelId, err instanceof JobCancelled ? 'cancelled' : 'failed');
    throw err;
  } finally {
    best.dispose();
    model.dispose();
  }
}

/** Decodes the sample's images, stretches their tone if asked, and splits their rows into training and validation. */
async function decodeForTraining(
  db: Db,
  settings: TrainSettings,
  sample: TrainingSample,
  hooks: TrainHooks,
  progress: TrainProgress,
): Promise<{ pixels: Awaited<ReturnType<typeof loadPixels>>; split: { train: Int32Array; val: Int32Array } }> {
  const sampled = sample.drawnIds !== null ? `training on ${sample.sources.length.toLocaleString('en-US')} of ${sample.pool.toLocaleString('en-US')} images (a seeded sample)` : null;
  const pixels = await loadPixels(db, { size: settings.inputSize, channels: settings.channels }, {
    isCancelled: hooks.isCancelled,
    onProgress: (done, total) => progress.report({ done, total, unit: 'images', message: sampled ? `${sampled}: decoding them` : 'decoding images for training' }),
  }, sample.sources);
  const { set } = pixels;
  const n = set.ids.length;
  if (n < 2) throw new FarpointError(`training needs at least 2 readable active samples; the project has ${n}`, 409);
  // Before the second thread gets the pixels: both threads train on the stretched images.
  if (settings.normaliseTone) stretchPixelSet(set);
  const split = splitIndices(n, settings);
  progress.extra.sample = { images: n, pool: sample.pool };
  if (sampled) progress.report({ done: n, total: n, unit: 'images', message: `training on ${n.toLocaleString('en-US')} of ${sample.pool.toLocaleString('en-US')} images (a seeded sample)` });
  return { pixels, split };
}

/** Adam over the flat weights: two threads step them in their shared memory (the second thread given the pixels first), one thread in its own. */
async function startOptimizer(settings: TrainSettings, encoder: EncoderKind, helper: GradientHelper | null, set: PixelSet, variables: Variable[]): Promise<FlatAdam> {
  const parameters = parameterCount(variables);
  if (helper) await helper.init({ ...settings, encoder }, set, parameters, Math.ceil(settings.batchSize / 2));
  return new FlatAdam(settings.learningRate, helper ? helper.adamMemory : adamMemory(parameters));
}

/** An interrupted run's checkpoint put back (weights, optimizer, best weights, history), or a new run's first state. */
function restoreOrStart(run: TrainingRun, resumable: ReturnType<typeof findResumable>): CheckpointState {
  if (!resumable) return firstState(run.sampleIds);
  const { state } = resumable;
  run.best.replace(restoreCheckpoint(run.tf, run.model.variables, run.adam, state, resumable.weights, run.modelId));
  run.progress.showHistory(state.history);
  return state;
}

/** Puts the best epoch's weights back and stores them as the model's; returns the best epoch's record. */
function finishWithBest(run: TrainingRun, state: CheckpointState, sample: { images: number; pool: number }): EpochRecord {
  run.best.restore();
  const final = encodeWeights([{ name: 'model', tensors: run.model.variables }]);
  const bestRecord = state.history.find((h) => h.epoch === state.bestEpoch) ?? state.history[state.history.length - 1]!;
  finishModel(run.db, run.modelId, { threads: run.helper ? 2 : 1, epochs: state.epoch, trainLoss: bestRecord.trainLoss, valLoss: bestRecord.valLoss, history: state.history, manifest: final.manifest, weights: final.blob, sample });
  return bestRecord;
}

/** Seeded split of rows into validation (about `validationFraction`, at least one) and training. */
export function splitIndices(n: number, settings: Pick<TrainSettings, 'seed' | 'validationFraction'>): { train: Int32Array; val: Int32Array } {
  const valCount = Math.min(n - 1, Math.max(1, Math.round(n * settings.validationFraction)));
  const order = shuffledIndices(n, seededRandom(settings.seed ^ 0x5eed5eed));
  return { val: order.slice(0, valCount).sort(), train: order.slice(valCount).sort() };
}

export type { TfRuntime };
