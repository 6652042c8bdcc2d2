import type { Tensor } from '@tensorflow/tfjs';
import { adamUpdate, type FlatAdam } from './flat-adam';
import { assignVariablesFrom, copyGradientsInto } from './flat-weights';
import type { PixelSet } from './pixels';
import type { Tf } from './tf-backend';
import type { Trainee } from './trainee';

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
