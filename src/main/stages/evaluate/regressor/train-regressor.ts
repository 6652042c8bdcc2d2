import type { LayersModel, Scalar, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { angleFromVector, vectorFromAngle } from '../../../../shared/angles';
import type { AngleMode } from '../../../../shared/domain';
import { JobCancelled } from '../../../core/job-types';
import type { Tf } from '../../train/tf-backend';
import { seededShuffle } from '../../../core/evaluation/seeded-shuffle';
import type { PixelSet } from './image-pixels';
import { buildRegressor } from './regressor-model';

export interface RegressorTraining {
  /**
   * Optimisation steps, whatever the number of training images: with a fixed
   * number of epochs a 25-image budget would get 16 times fewer updates than a
   * 400-image one, and the curve would measure undertraining, not selection.
   */
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the network's initial weights and the batch order. */
  seed: number;
  isCancelled?: () => boolean;
}

export const defaultRegressorTraining: Omit<RegressorTraining, 'seed'> = { steps: 300, batchSize: 32, learningRate: 2e-3 };

/** Steps between yields to the event loop, so a cancel request reaches a job mid-training. */
const YIELD_EVERY = 8;

/**
 * Trains a fresh regressor on the images `rows` of `set` with their true
 * angles. Targets are unit vectors on the circle (doubled angle when axial);
 * the loss is the mean squared distance to them.
 */
export async function trainRegressor(
  tf: Tf,
  set: PixelSet,
  rows: ArrayLike<number>,
  angles: ArrayLike<number>,
  mode: AngleMode,
  options: RegressorTraining,
): Promise<{ model: LayersModel; loss: number }> {
  if (rows.length === 0) throw new Error('trainRegressor: no training images');
  if (rows.length !== angles.length) throw new Error(`trainRegressor: ${rows.length} images for ${angles.length} angles`);
  const model = buildRegressor(tf, { inputSize: set.size, channels: set.channels }, options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const targets = new Float32Array(rows.length * 2);
  for (let i = 0; i < rows.length; i++) targets.set(vectorFromAngle(angles[i]!, mode), i * 2);
  const batchSize = Math.min(options.batchSize, rows.length);
  let order: number[] = [];
  let epoch = 0;
  let loss = NaN;
  try {
    for (let step = 0; step < options.steps; step++) {
      if (order.length < batchSize) order = order.concat(seededShuffle(rows.length, options.seed * 7919 + epoch++));
      const batch = order.splice(0, batchSize);
      const x = batchImages(tf, set, batch.map((b) => rows[b]!));
      const y = tf.tensor2d(gather(targets, batch, 2), [batch.length, 2]);
      const cost = optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as Tensor2D) as Scalar, true);
      x.dispose();
      y.dispose();
      if (step === options.steps - 1 && cost) loss = (await cost.data())[0]!;
      cost?.dispose();
      if (step % YIELD_EVERY === YIELD_EVERY - 1) {
        await new Promise((resolve) => setImmediate(resolve));
        if (options.isCancelled?.()) throw new JobCancelled();
      }
    }
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    optimizer.dispose();
  }
  return { model, loss };
}

/** Predicted angles (degrees) for the images `rows` of `set`. */
export async function predictAngles(tf: Tf, model: LayersModel, set: PixelSet, rows: ArrayLike<number>, mode: AngleMode): Promise<Float64Array> {
  const out = new Float64Array(rows.length);
  const chunk = 256;
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = Array.from({ length: Math.min(chunk, rows.length - start) }, (_, k) => rows[start + k]!);
    const y = tf.tidy(() => model.predict(batchImages(tf, set, slice)) as Tensor2D);
    const v = await y.data();
    y.dispose();
    for (let k = 0; k < slice.length; k++) out[start + k] = angleFromVector(v[2 * k]!, v[2 * k + 1]!, mode);
  }
  return out;
}

function batchImages(tf: Tf, set: PixelSet, rows: number[]): Tensor4D {
  const stride = set.size * set.size * set.channels;
  return tf.tensor4d(gather(set.pixels, rows, stride), [rows.length, set.size, set.size, set.channels]);
}

function gather(source: Float32Array, rows: ArrayLike<number>, stride: number): Float32Array {
  const out = new Float32Array(rows.length * stride);
  for (let k = 0; k < rows.length; k++) out.set(source.subarray(rows[k]! * stride, (rows[k]! + 1) * stride), k * stride);
  return out;
}

/** Every weight of a model as one float32 blob (layer order), for storing with the model row. */
export function weightsBlob(model: LayersModel): Buffer {
  const parts = model.getWeights().map((w) => Buffer.from((w.dataSync() as Float32Array).buffer.slice(0)));
  return Buffer.concat(parts);
}
