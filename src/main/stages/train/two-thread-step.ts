import type { Tensor } from '@tensorflow/tfjs';
import { adamUpdate, type FlatAdam } from './flat-adam';
import { assignVariablesFrom, copyGradientsInto } from './flat-weights';
import { helperShareStart } from './gradient-exchange';
import type { GradientHelper } from './gradient-helper';
import type { PixelSet } from './pixels';
import type { Tf } from './tf-backend';
import { batchHalves, type Trainee } from './trainee';

/**
 * One data-parallel training step on two threads. The batch's first half
 * (the larger one when odd) is computed here, the second by the helper, on
 * the same weights. The batch loss is the mean over all its rows, so its
 * gradient is the two half-means' gradients weighted by their shares of the
 * rows: g = gA·(nA/n) + gB·(nB/n). Then each thread steps Adam on its own
 * half of the shared weights (adamUpdate: each weight depends only on its
 * own gradient and moments, so the result is the same bits whichever thread
 * computes it and the same inputs give the same bits), and this thread loads
 * the new weights into its model. `adam.memory` must be `helper.adamMemory`.
 * A model whose loss compares rows (NT-Xent) takes these halves as its
 * groups on one thread too (Trainee.groups), so the loss is the same.
 * Returns the batch's mean loss.
 */
export async function twoThreadStep(
  tf: Tf,
  model: Trainee,
  adam: FlatAdam,
  helper: GradientHelper,
  set: PixelSet,
  rows: Int32Array,
  start: number,
  end: number,
): Promise<number> {
  const { variables } = model;
  const n = end - start;
  const nA = batchHalves(n)[0]![1];
  const nB = n - nA;
  const step = adam.nextStep();
  if (nB > 0) helper.post(rows, start + nA, end, n, step);
  const group = model.groupLoss(set, rows, start, start + nA, step);
  const own = tf.variableGrads(() => group.loss(), variables);
  group.dispose();
  const lossA = own.value.dataSync()[0]!;
  copyGradientsInto(variables, own.grads, helper.ownGrads);
  tf.dispose([own.value, ...(Object.values(own.grads) as Tensor[])]);
  const parameters = adam.memory.weights.length;
  if (nB === 0) {
    adamUpdate(adam.memory, { a: helper.ownGrads, shareA: 1, b: helper.ownGrads, shareB: 0 }, adam.learningRate, step, 0, parameters);
    assignVariablesFrom(tf, variables, adam.memory.weights);
    return lossA;
  }
  helper.ownGradientReady();
  const theirs = await helper.collect();
  const halves = { a: helper.ownGrads, shareA: nA / n, b: theirs.grads, shareB: nB / n };
  adamUpdate(adam.memory, halves, adam.learningRate, step, 0, helperShareStart(parameters));
  await helper.helperStepped();
  assignVariablesFrom(tf, variables, adam.memory.weights);
  return (lossA * nA + theirs.loss * nB) / n;
}
