import type { Tensor, Variable } from '@tensorflow/tfjs';
import { DEFAULT_MAX_TRAINING_IMAGES, DEFAULT_TRAINING_EPOCHS } from '../../../shared/contract/ml-requests';
import type { EncoderKind, EpochRecord, JobProgress, TrainProgressExtra, TrainResult } from '../../../shared/domain';
import { DEFAULT_ENCODER } from '../../../shared/encoder-kinds';
import { seededRandom } from '../../core/random';
import { JobCancelled } from '../../core/job-types';
import { FarpointError } from '../../core/errors';
import type { Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { checkShape } from './autoencoder';
import { shuffledIndices } from './batches';
import { buildTrainee } from './build-trainee';
import { adamMemory, adamUpdate, FlatAdam } from './flat-adam';
import { assignVariablesFrom, copyGradientsInto, copyVariablesInto, parameterCount } from './flat-weights';
import { GradientHelper, TrainingHelperFailed } from './gradient-helper';
import { createModel, findResumable, finishModel, markModel, saveCheckpoint, type CheckpointState, type TrainSettings } from '../../store/model-store';
import { loadPixels, type PixelSet } from './pixels';
import { stretchPixelSet } from './tone-stretch';
import { trainingSample, type TrainingSample } from './training-sample';
import { loadTf, type Tf, type TfRuntime } from './tf-backend';
import type { Trainee } from './trainee';
import { trainThreads } from './train-threads';
import { twoThreadStep } from './two-thread-step';
import { decodeWeights, encodeWeights } from './weights-codec';

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
const STRIP_COUNT = 6;

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
  const extra: TrainProgressExtra = {
    phase: 'decoding', epoch: 0, epochs: maxEpochs, batch: 0, batches: 0, loss: null, valLoss: null, imagesPerSecond: null, etaSeconds: null,
    backend: runtime.backend, encoder, trainLosses: [], valLosses: [], strip: null, stripEpoch: null, stripCount: STRIP_COUNT, sample: null,
  };
  const report = (p: Omit<JobProgress, 'extra'>) => hooks.onProgress?.({ ...p, extra: { ...extra } as unknown as JobProgress['extra'] });
  const sampled = sample.drawnIds !== null ? `training on ${sample.sources.length.toLocaleString('en-US')} of ${sample.pool.toLocaleString('en-US')} images (a seeded sample)` : null;
  const pixels = await loadPixels(db, { size: settings.inputSize, channels: settings.channels }, {
    isCancelled: hooks.isCancelled,
    onProgress: (done, total) => report({ done, total, unit: 'images', message: sampled ? `${sampled}: decoding them` : 'decoding images for training' }),
  }, sample.sources);
  const { set } = pixels;
  const n = set.ids.length;
  if (n < 2) throw new FarpointError(`training needs at least 2 readable active samples; the project has ${n}`, 409);
  // Before the second thread gets the pixels: both threads train on the stretched images.
  if (settings.normaliseTone) stretchPixelSet(set);
  const split = splitIndices(n, settings);
  extra.sample = { images: n, pool: sample.pool };
  if (sampled) report({ done: n, total: n, unit: 'images', message: `training on ${n.toLocaleString('en-US')} of ${sample.pool.toLocaleString('en-US')} images (a seeded sample)` });

  const modelId = resumable?.modelId ?? createModel(db, settings, runtime.backend, encoder);
  const model = buildTrainee(tf, encoder, settings);
  const { variables } = model;
  const sampleIds = sample.drawnIds ?? undefined;
  let state: CheckpointState = { epoch: 0, history: [], bestEpoch: 0, bestValLoss: Infinity, epochsWithoutImprovement: 0, manifest: [], sampleIds };
  let best: Tensor[] = variables.map((v) => tf.clone(v));
  const stripRows = split.val.slice(0, Math.min(STRIP_COUNT, split.val.length));
  try {
    const parameters = parameterCount(variables);
    if (helper) await helper.init({ ...settings, encoder }, set, parameters, Math.ceil(settings.batchSize / 2));
    // Two threads step the weights and moments in their shared memory; one thread in its own.
    const adam = new FlatAdam(settings.learningRate, helper ? helper.adamMemory : adamMemory(parameters));
    if (resumable) {
      state = resumable.state;
      const restoredBest = restoreCheckpoint(tf, variables, adam, state, resumable.weights, modelId);
      tf.dispose(best);
      best = restoredBest;
      extra.trainLosses = state.history.map((h) => h.trainLoss);
      extra.valLosses = state.history.map((h) => h.valLoss);
    }
    copyVariablesInto(variables, adam.memory.weights);
    const resumedFromEpoch = resumable ? state.epoch + 1 : null;
    const batchesPerEpoch = Math.ceil(split.train.length / settings.batchSize);
    extra.batches = batchesPerEpoch;
    extra.phase = 'training';
    let trainSeconds = 0;
    let trainedImages = 0;
    let stoppedEarly = false;

    for (let epoch = state.epoch + 1; epoch <= maxEpochs; epoch++) {
      if (state.epochsWithoutImprovement >= settings.patience) {
        stoppedEarly = true;
        break;
      }
      const epochStart = performance.now();
      const order = shuffledIndices(split.train.length, seededRandom(settings.seed * 7919 + epoch));
      const rows = Int32Array.from(order, (k) => split.train[k]!);
      let lossSum = 0;
      extra.epoch = epoch;
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (hooks.isCancelled?.()) throw new JobCancelled();
        const start = b * settings.batchSize;
        const end = Math.min(start + settings.batchSize, rows.length);
        const stepStart = performance.now();
        const loss = helper
          ? await twoThreadStep(tf, model, adam, helper, set, rows, start, end)
          : trainStep(tf, model, adam, set, rows, start, end);
        lossSum += loss * (end - start);
        const stepSeconds = (performance.now() - stepStart) / 1000;
        trainSeconds += stepSeconds;
        trainedImages += end - start;
        const rate = trainedImages / trainSeconds;
        const remainingImages = (maxEpochs - epoch) * split.train.length + (rows.length - end);
        Object.assign(extra, { batch: b + 1, loss, imagesPerSecond: rate, etaSeconds: remainingImages / rate });
        report({
          done: (epoch - 1) * batchesPerEpoch + b + 1,
          total: maxEpochs * batchesPerEpoch,
          unit: 'batches',
          message: `epoch ${epoch}/${maxEpochs}, batch ${b + 1}/${batchesPerEpoch}, loss ${loss.toFixed(5)}`,
          rate: rate / settings.batchSize,
          etaSeconds: remainingImages / rate,
        });
      }
      const trainLoss = lossSum / rows.length;
      const valLoss = model.validationLoss(set, split.val, settings.batchSize);
      const seconds = (performance.now() - epochStart) / 1000;
      const record: EpochRecord = { epoch, trainLoss, valLoss, seconds, imagesPerSecond: rows.length / seconds };
      const history = [...state.history, record];
      const improved = valLoss < state.bestValLoss;
      if (improved) {
        tf.dispose(best);
        best = variables.map((v) => tf.clone(v));
      }
      const next: Omit<CheckpointState, 'manifest'> = {
        sampleIds,
        epoch,
        history,
        bestEpoch: improved ? epoch : state.bestEpoch,
        bestValLoss: improved ? valLoss : state.bestValLoss,
        epochsWithoutImprovement: improved ? 0 : state.epochsWithoutImprovement + 1,
      };
      state = { ...next, manifest: writeCheckpoint(tf, db, modelId, adam, variables, best, next) };

      extra.trainLosses = history.map((h) => h.trainLoss);
      extra.valLosses = history.map((h) => h.valLoss);
      extra.valLoss = valLoss;
      extra.strip = await model.strip(set, stripRows);
      extra.stripEpoch = epoch;
      report({
        done: epoch * batchesPerEpoch,
        total: maxEpochs * batchesPerEpoch,
        unit: 'batches',
        message: `epoch ${epoch}/${maxEpochs}: loss ${trainLoss.toFixed(5)}, validation loss ${valLoss.toFixed(5)}`,
        rate: record.imagesPerSecond / settings.batchSize,
      });
    }
    if (!stoppedEarly && state.epochsWithoutImprovement >= settings.patience && state.epoch < maxEpochs) stoppedEarly = true;

    // Keep the best epoch's weights.
    best.forEach((t, i) => variables[i]!.assign(t));
    const final = encodeWeights([{ name: 'model', tensors: variables }]);
    const bestRecord = state.history.find((h) => h.epoch === state.bestEpoch) ?? state.history[state.history.length - 1]!;
    finishModel(db, modelId, { threads: helper ? 2 : 1, epochs: state.epoch, trainLoss: bestRecord.trainLoss, valLoss: bestRecord.valLoss, history: state.history, manifest: final.manifest, weights: final.blob, sample: { images: n, pool: sample.pool } });
    return {
      modelId,
      encoder,
      backend: runtime.backend,
      threads: helper ? 2 : 1,
      resumedFromEpoch,
      epochs: state.epoch,
      bestEpoch: state.bestEpoch,
      stoppedEarly,
      trainLoss: bestRecord.trainLoss,
      valLoss: bestRecord.valLoss,
      trainImages: split.train.length,
      valImages: split.val.length,
      poolImages: sample.pool,
      imagesPerSecond: trainSeconds > 0 ? trainedImages / trainSeconds : 0,
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
    tf.dispose(best);
    model.dispose();
  }
}

/** Puts a checkpoint's model and optimizer weights back; returns its best epoch's weights. */
function restoreCheckpoint(tf: Tf, variables: Variable[], adam: FlatAdam, state: CheckpointState, weights: Buffer, modelId: number): Tensor[] {
  const restored = decodeWeights(tf, state.manifest, weights, `checkpoint of model ${modelId}`);
  restored.get('model')!.forEach((t, i) => variables[i]!.assign(t));
  adam.restore(restored.get('optimizer')!);
  tf.dispose([...restored.get('model')!, ...restored.get('optimizer')!]);
  return restored.get('best')!;
}

/** Saves an epoch's checkpoint (the model, the best epoch's and the optimizer's weights); returns its manifest. */
function writeCheckpoint(tf: Tf, db: Db, modelId: number, adam: FlatAdam, variables: Variable[], best: Tensor[], next: Omit<CheckpointState, 'manifest'>): CheckpointState['manifest'] {
  const optimizerWeights = adam.checkpoint(tf, variables);
  const encoded = encodeWeights([
    { name: 'model', tensors: variables },
    { name: 'best', tensors: best },
    { name: 'optimizer', tensors: optimizerWeights },
  ]);
  tf.dispose(optimizerWeights);
  saveCheckpoint(db, modelId, { ...next, manifest: encoded.manifest }, encoded.blob);
  return encoded.manifest;
}

/** Seeded split of rows into validation (about `validationFraction`, at least one) and training. */
export function splitIndices(n: number, settings: Pick<TrainSettings, 'seed' | 'validationFraction'>): { train: Int32Array; val: Int32Array } {
  const valCount = Math.min(n - 1, Math.max(1, Math.round(n * settings.validationFraction)));
  const order = shuffledIndices(n, seededRandom(settings.seed ^ 0x5eed5eed));
  return { val: order.slice(0, valCount).sort(), train: order.slice(valCount).sort() };
}

/**
 * One training step on this thread alone: the gradient of the batch's loss (its groups' row-weighted mean, as the two
 * threads compute it), then Adam over the flat weights (flat-adam.ts), which the model then loads.
 */
export function trainStep(tf: Tf, model: Trainee, adam: FlatAdam, set: PixelSet, rows: Int32Array, start: number, end: number): number {
  const { variables } = model;
  const n = end - start;
  const step = adam.nextStep();
  const groups = model.groups(n).map(([from, to]) => ({ share: (to - from) / n, loss: model.groupLoss(set, rows, start + from, start + to, step) }));
  const { value, grads } = tf.variableGrads(
    () => (groups.length === 1 ? groups[0]!.loss.loss() : tf.addN(groups.map((g) => tf.mul(g.loss.loss(), g.share))).asScalar()),
    variables,
  );
  for (const g of groups) g.loss.dispose();
  const loss = value.dataSync()[0]!;
  const gradient = new Float32Array(adam.memory.weights.length);
  copyGradientsInto(variables, grads, gradient);
  tf.dispose([value, ...(Object.values(grads) as Tensor[])]);
  adamUpdate(adam.memory, { a: gradient, shareA: 1, b: gradient, shareB: 0 }, adam.learningRate, step, 0, gradient.length);
  assignVariablesFrom(tf, variables, adam.memory.weights);
  return loss;
}

export type { TfRuntime };
