import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { buildAutoencoder } from '../../src/main/stages/train/autoencoder';
import { adamMemory, FlatAdam } from '../../src/main/stages/train/flat-adam';
import { assignVariablesFrom, copyVariablesInto, parameterCount } from '../../src/main/stages/train/flat-weights';
import { loadTf, type Tf } from '../../src/main/stages/train/tf-backend';
import { maxDifference } from '../helpers/float-difference';

/**
 * The flat Adam (flat-adam.ts) against TensorFlow.js's AdamOptimizer: the
 * same steps on the same gradients up to float rounding (one step of a real
 * model's gradients already differs by one float's rounding, and later
 * gradients then differ a little; Adam's division by the root of the second
 * moment magnifies that, so the comparison feeds both the same gradients),
 * and checkpoints either one writes resume in the other.
 */
let tf: Tf;
before(async () => {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  ({ tf } = await loadTf());
});

const shape = { inputSize: 16, channels: 1 as const, latentDim: 4 };
const settings = { learningRate: 1e-2 };

function model(seed: number) {
  const ae = buildAutoencoder(tf, shape, seed);
  const variables = [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights].map((w) => w.read() as Variable);
  return { ae, variables };
}

function flat(variables: Variable[]): Float32Array {
  const out = new Float32Array(parameterCount(variables));
  copyVariablesInto(variables, out);
  return out;
}

test('five steps of the flat Adam equal five of AdamOptimizer on the same gradients, up to float rounding; checkpoints cross over', async () => {
  const ours = model(1);
  const theirs = model(1);
  const parameters = parameterCount(ours.variables);
  const adam = new FlatAdam(settings.learningRate, adamMemory(parameters));
  copyVariablesInto(ours.variables, adam.memory.weights);
  const optimizer = tf.train.adam(settings.learningRate);
  for (let step = 0; step < 5; step++) {
    // Seeded gradients of every size, a tenth of them zero and a tenth far below epsilon.
    const gradient = tf.tidy(() => {
      const g = tf.randomNormal([parameters], 0, 1, 'float32', 100 + step).mul(tf.randomUniform([parameters], 0, 1, 'float32', 200 + step).pow(8));
      const u = tf.randomUniform([parameters], 0, 1, 'float32', 300 + step);
      return tf.where(u.less(0.1), tf.zerosLike(g), tf.where(u.less(0.2), g.mul(1e-9), g));
    });
    const values = gradient.dataSync() as Float32Array;
    adam.step({ a: values, shareA: 1, b: values, shareB: 0 });
    assignVariablesFrom(tf, ours.variables, adam.memory.weights);
    let offset = 0;
    const named = theirs.variables.map((v) => {
      const tensor = tf.tensor(values.slice(offset, offset + v.size), v.shape);
      offset += v.size;
      return { name: v.name, tensor };
    });
    optimizer.applyGradients(named);
    tf.dispose([gradient, ...named.map((g) => g.tensor)]);
  }
  const { worst, scale } = maxDifference(flat(ours.variables), flat(theirs.variables));
  // Measured: 4.8e-7 on weights up to 1.43 (four float32 steps there), against Adam steps of 1e-2.
  assert.ok(worst <= 1e-6 * scale, `weights differ by ${worst} (largest weight ${scale})`);
  assert.equal(adam.steps, 5);

  // Each one's checkpoint restores the other's state: same moments, same step count.
  const fromOurs = tf.train.adam(settings.learningRate);
  await fromOurs.setWeights(adam.checkpoint(tf, ours.variables).map((tensor, i) => ({ name: `w${i}`, tensor })));
  const restored = new FlatAdam(settings.learningRate, adamMemory(parameterCount(ours.variables)));
  restored.restore((await optimizer.getWeights()).map((w) => w.tensor));
  assert.equal(restored.steps, 5);
  assert.equal(fromOurs.iterations, 5);
  const moments = (await fromOurs.getWeights()).slice(1).map((w) => w.tensor);
  const theirMoments = (await optimizer.getWeights()).slice(1).map((w) => w.tensor);
  const concat = (ts: Tensor[]) => Float32Array.from(ts.flatMap((t) => Array.from(t.dataSync())));
  const ourMoments = Float32Array.from([...adam.memory.firstMoment, ...adam.memory.secondMoment]);
  assert.deepEqual(concat(moments), ourMoments, 'AdamOptimizer takes our moments as they are');
  const back = Float32Array.from([...restored.memory.firstMoment, ...restored.memory.secondMoment]);
  const diff = maxDifference(back, concat(theirMoments));
  assert.ok(diff.worst <= 1e-5 * diff.scale, `moments restored from AdamOptimizer differ by ${diff.worst}`);
  fromOurs.dispose();
  optimizer.dispose();
  ours.ae.dispose();
  theirs.ae.dispose();
});
