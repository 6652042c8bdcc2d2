import type { AdamOptimizer, NamedTensorMap, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { Autoencoder } from './autoencoder';
import { batchTensor } from './batches';
import type { GradientHelper } from './gradient-helper';
import type { PixelSet } from './pixels';
import type { Tf } from './tf-backend';

/**
 * One data-parallel training step on two threads. The batch's first half
 * (the larger one when odd) is computed here, the second by the helper, on
 * the same weights. The batch loss is the mean over all its rows, so its
 * gradient is the two half-means' gradients weighted by their shares of the
 * rows: g = gA·(nA/n) + gB·(nB/n), always in that order and in float32, so
 * the same inputs give the same bits (with equal halves, ×0.5 is exact and
 * the sum is rounded once). Then this thread alone applies Adam; the helper
 * gets the new weights with its next rows. Returns the batch's mean loss.
 */
export async function twoThreadStep(
  tf: Tf,
  ae: Autoencoder,
  optimizer: AdamOptimizer,
  variables: Variable[],
  helper: GradientHelper,
  set: PixelSet,
  settings: { inputSize: number; channels: number },
  rows: Int32Array,
  start: number,
  end: number,
): Promise<number> {
  const { lossA, lossB, n, nA, nB, grads } = await twoThreadGradients(tf, ae, variables, helper, set, settings, rows, start, end);
  // As Optimizer.minimize does: applyGradients reads the gradient tensors by their variables' names.
  optimizer.applyGradients(grads as unknown as Parameters<AdamOptimizer['applyGradients']>[0]);
  tf.dispose(Object.values(grads) as Tensor[]);
  return (lossA * nA + lossB * nB) / n;
}

/** The batch's gradient by variable name (the caller disposes it) and the two halves' losses and sizes. */
export async function twoThreadGradients(
  tf: Tf,
  ae: Autoencoder,
  variables: Variable[],
  helper: GradientHelper,
  set: PixelSet,
  settings: { inputSize: number; channels: number },
  rows: Int32Array,
  start: number,
  end: number,
): Promise<{ lossA: number; lossB: number; n: number; nA: number; nB: number; grads: NamedTensorMap }> {
  const n = end - start;
  const nA = Math.ceil(n / 2);
  const nB = n - nA;
  if (nB > 0) helper.post(variables, rows, start + nA, end);
  const x = batchTensor(tf, set, settings, rows, start, start + nA);
  const own = tf.variableGrads(() => tf.losses.meanSquaredError(x, ae.reconstruct(x)) as Scalar, variables);
  x.dispose();
  const lossA = own.value.dataSync()[0]!;
  own.value.dispose();
  if (nB === 0) return { lossA, lossB: 0, n, nA, nB, grads: own.grads };
  const theirs = await helper.collect();
  const grads: NamedTensorMap = {};
  let offset = 0;
  for (const v of variables) {
    const gA = own.grads[v.name]!;
    grads[v.name] = tf.tidy(() => {
      const gB = tf.tensor(theirs.grads.slice(offset, offset + v.size), v.shape, 'float32');
      return tf.add(tf.mul(gA, tf.scalar(nA / n)), tf.mul(gB, tf.scalar(nB / n)));
    });
    offset += v.size;
  }
  tf.dispose(Object.values(own.grads) as Tensor[]);
  return { lossA, lossB: theirs.loss, n, nA, nB, grads };
}
