import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from './tf-backend';

/** TensorFlow.js's Adam defaults (tf.train.adam): the epsilon is the float32 backends' `epsilon()`. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

/** Every trainable weight and both Adam moments, each one flat float32 vector in the variables' order. */
export interface AdamMemory {
  weights: Float32Array;
  firstMoment: Float32Array;
  secondMoment: Float32Array;
}

/**
 * The gradient Adam steps with, g = a·shareA + b·shareB: a batch's gradient
 * from the two half-batch gradients weighted by their shares of the rows (one
 * thread: b = a, shareB = 0).
 */
export interface GradientHalves {
  a: Float32Array;
  shareA: number;
  b: Float32Array;
  shareB: number;
}

export function adamMemory(parameters: number): AdamMemory {
  return { weights: new Float32Array(parameters), firstMoment: new Float32Array(parameters), secondMoment: new Float32Array(parameters) };
}

/**
 * One Adam step (TensorFlow.js's formula: bias-corrected moments, epsilon
 * added to the root) on elements [from, to) of the flat vectors, for step
 * `step` (1 for the first). Each element depends on nothing but its own
 * index, so two threads can each update half of shared vectors and the
 * result is the same bits as one thread updating all of it. One plain loop
 * over the default autoencoder's weights, split over two threads, costs a
 * fraction of TensorFlow.js's optimizer (ten small kernels per variable) plus
 * the summing of the two halves' gradient tensors, which both ran on the
 * coordinator alone while the helper thread waited (measured by
 * `npm run bench -- train`).
 */
export function adamUpdate(memory: AdamMemory, g: GradientHalves, learningRate: number, step: number, from: number, to: number): void {
  const { weights, firstMoment, secondMoment } = memory;
  const { a, shareA, b, shareB } = g;
  // The bias corrections folded into two factors outside the loop: a division less per weight.
  const rate = learningRate / (1 - ADAM_BETA1 ** step);
  const secondCorrection = 1 / (1 - ADAM_BETA2 ** step);
  for (let i = from; i < to; i++) {
    const gradient = Math.fround(a[i]! * shareA + b[i]! * shareB);
    const m = Math.fround(ADAM_BETA1 * firstMoment[i]! + (1 - ADAM_BETA1) * gradient);
    const v = Math.fround(ADAM_BETA2 * secondMoment[i]! + (1 - ADAM_BETA2) * gradient * gradient);
    firstMoment[i] = m;
    secondMoment[i] = v;
    weights[i] = weights[i]! - (rate * m) / (Math.sqrt(v * secondCorrection) + ADAM_EPSILON);
  }
}

/**
 * Adam over flat vectors (see `adamUpdate`), with the step count and the
 * checkpoint format of TensorFlow.js's AdamOptimizer.getWeights ([steps,
 * first moments…, second moments…], one tensor per variable), so checkpoints
 * written by either resume with the other.
 */
export class FlatAdam {
  /** Steps taken so far. */
  steps = 0;

  constructor(
    readonly learningRate: number,
    readonly memory: AdamMemory,
  ) {}

  /** Counts a new step and returns its number (1 for the first), for `adamUpdate`. */
  nextStep(): number {
    return ++this.steps;
  }

  /** Updates every weight with gradient `g` (one thread). */
  step(g: GradientHalves): void {
    adamUpdate(this.memory, g, this.learningRate, this.nextStep(), 0, this.memory.weights.length);
  }

  /** The optimizer state as new tensors (the caller disposes them), in AdamOptimizer.getWeights' order. */
  checkpoint(tf: Tf, variables: Variable[]): Tensor[] {
    const moments = (flat: Float32Array) => {
      let offset = 0;
      return variables.map((v) => {
        const t = tf.tensor(flat.slice(offset, offset + v.size), v.shape, 'float32');
        offset += v.size;
        return t;
      });
    };
    return [tf.scalar(this.steps, 'int32'), ...moments(this.memory.firstMoment), ...moments(this.memory.secondMoment)];
  }

  /** Restores a `checkpoint`'s state (or AdamOptimizer.getWeights'); the weights themselves are not part of it. */
  restore(tensors: Tensor[]): void {
    const [steps, ...moments] = tensors;
    const half = moments.length / 2;
    const fill = (flat: Float32Array, from: Tensor[]) => {
      let offset = 0;
      for (const t of from) {
        flat.set(t.dataSync() as Float32Array, offset);
        offset += t.size;
      }
      if (offset !== flat.length) throw new Error(`optimizer checkpoint holds ${offset} moments, the model has ${flat.length} weights`);
    };
    this.steps = steps!.dataSync()[0]!;
    fill(this.memory.firstMoment, moments.slice(0, half));
    fill(this.memory.secondMoment, moments.slice(half));
  }
}
