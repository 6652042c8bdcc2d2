import type { EpochRecord } from '../../../shared/domain';
import { JobCancelled } from '../../core/job-types';
import { seededRandom } from '../../core/random';
import type { Db } from '../../store/database';
import type { CheckpointState, TrainSettings } from '../../store/model-store';
import { shuffledIndices } from './batches';
import type { BestWeights } from './best-weights';
import type { FlatAdam } from './flat-adam';
import type { GradientHelper } from './gradient-helper';
import type { PixelSet } from './pixels';
import type { Tf } from './tf-backend';
import { outOfPatience, stateAfterEpoch, writeCheckpoint } from './train-checkpoint';
import type { TrainProgress } from './train-progress';
import { trainStep } from './train-step';
import type { Trainee } from './trainee';
import { twoThreadStep } from './two-thread-step';

/** What every epoch of one training run works with. */
export interface TrainingRun {
  tf: Tf;
  db: Db;
  settings: TrainSettings;
  maxEpochs: number;
  hooks: { isCancelled?(): boolean };
  progress: TrainProgress;
  model: Trainee;
  adam: FlatAdam;
  /** The second thread, or null when this one trains alone. */
  helper: GradientHelper | null;
  set: PixelSet;
  split: { train: Int32Array; val: Int32Array };
  stripRows: Int32Array;
  modelId: number;
  best: BestWeights;
  /** The drawn sample's ids, recorded in every checkpoint (undefined when the run trains on every active sample). */
  sampleIds: CheckpointState['sampleIds'];
  batchesPerEpoch: number;
  /** Time spent in training steps and the images they trained on, over the whole run. */
  throughput: { seconds: number; images: number };
}

/** Trains from the epoch after `state`'s to `maxEpochs`, or until early stopping; returns the last checkpoint's state. */
export async function trainEpochs(run: TrainingRun, state: CheckpointState): Promise<{ state: CheckpointState; stoppedEarly: boolean }> {
  for (let epoch = state.epoch + 1; epoch <= run.maxEpochs; epoch++) {
    if (outOfPatience(state, run.settings)) return { state, stoppedEarly: true };
    const record = await trainEpoch(run, epoch);
    state = checkpointEpoch(run, state, record);
    await reportEpoch(run, state.history, record);
  }
  return { state, stoppedEarly: outOfPatience(state, run.settings) && state.epoch < run.maxEpochs };
}

/** One epoch over the training rows in a seeded order, then the validation loss: the epoch's record. */
async function trainEpoch(run: TrainingRun, epoch: number): Promise<EpochRecord> {
  const { settings, split } = run;
  const epochStart = performance.now();
  // Seeded per epoch, so a resumed run shuffles its next epoch as the uninterrupted run would have.
  const order = shuffledIndices(split.train.length, seededRandom(settings.seed * 7919 + epoch));
  const rows = Int32Array.from(order, (k) => split.train[k]!);
  let lossSum = 0;
  run.progress.extra.epoch = epoch;
  for (let b = 0; b < run.batchesPerEpoch; b++) {
    if (run.hooks.isCancelled?.()) throw new JobCancelled();
    lossSum += await trainBatch(run, epoch, rows, b);
  }
  const trainLoss = lossSum / rows.length;
  const valLoss = run.model.validationLoss(run.set, split.val, settings.batchSize);
  const seconds = (performance.now() - epochStart) / 1000;
  return { epoch, trainLoss, valLoss, seconds, imagesPerSecond: rows.length / seconds };
}

/** Batch `b` of the epoch's rows: one step, on one thread or two, then its report; returns its loss summed over its rows. */
async function trainBatch(run: TrainingRun, epoch: number, rows: Int32Array, b: number): Promise<number> {
  const { tf, model, adam, helper, set, settings, throughput, maxEpochs, batchesPerEpoch } = run;
  const start = b * settings.batchSize;
  const end = Math.min(start + settings.batchSize, rows.length);
  const stepStart = performance.now();
  const loss = helper
    ? await twoThreadStep(tf, model, adam, helper, set, rows, start, end)
    : trainStep(tf, model, adam, set, rows, start, end);
  throughput.seconds += (performance.now() - stepStart) / 1000;
  throughput.images += end - start;
  const rate = throughput.images / throughput.seconds;
  const remainingImages = (maxEpochs - epoch) * run.split.train.length + (rows.length - end);
  Object.assign(run.progress.extra, { batch: b + 1, loss, imagesPerSecond: rate, etaSeconds: remainingImages / rate });
  run.progress.report({
    done: (epoch - 1) * batchesPerEpoch + b + 1,
    total: maxEpochs * batchesPerEpoch,
    unit: 'batches',
    message: `epoch ${epoch}/${maxEpochs}, batch ${b + 1}/${batchesPerEpoch}, loss ${loss.toFixed(5)}`,
    rate: rate / settings.batchSize,
    etaSeconds: remainingImages / rate,
  });
  return loss * (end - start);
}

/** Keeps the epoch's weights if they are the best so far, then commits the epoch's checkpoint; returns its state. */
function checkpointEpoch(run: TrainingRun, state: CheckpointState, record: EpochRecord): CheckpointState {
  const { next, improved } = stateAfterEpoch(state, record, run.sampleIds);
  if (improved) run.best.keepCurrent();
  return { ...next, manifest: writeCheckpoint(run.tf, run.db, run.modelId, run.adam, run.model.variables, run.best.tensors, next) };
}

/** The epoch's losses and reconstruction strip, for the training view. */
async function reportEpoch(run: TrainingRun, history: readonly EpochRecord[], record: EpochRecord): Promise<void> {
  const { progress, maxEpochs, batchesPerEpoch } = run;
  progress.showHistory(history);
  progress.extra.valLoss = record.valLoss;
  progress.extra.strip = await run.model.strip(run.set, run.stripRows);
  progress.extra.stripEpoch = record.epoch;
  progress.report({
    done: record.epoch * batchesPerEpoch,
    total: maxEpochs * batchesPerEpoch,
    unit: 'batches',
    message: `epoch ${record.epoch}/${maxEpochs}: loss ${record.trainLoss.toFixed(5)}, validation loss ${record.valLoss.toFixed(5)}`,
    rate: record.imagesPerSecond / run.settings.batchSize,
  });
}
