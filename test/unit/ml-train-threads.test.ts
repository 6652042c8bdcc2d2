import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { autoencoderTrainee } from '../../src/main/stages/train/autoencoder-trainee';
import { GradientHelper, TrainingHelperFailed } from '../../src/main/stages/train/gradient-helper';
import { listAutoencoders } from '../../src/main/store/model-store';
import { loadPixels } from '../../src/main/stages/train/pixels';
import { loadTf } from '../../src/main/stages/train/tf-backend';
import { JobCancelled } from '../../src/main/core/job-types';
import { trainAutoencoder, type TrainOptions } from '../../src/main/stages/train/train';
import { trainThreads } from '../../src/main/stages/train/train-threads';
import { twoThreadStep } from '../../src/main/stages/train/two-thread-step';
import { adamUpdate, FlatAdam, type AdamMemory } from '../../src/main/stages/train/flat-adam';
import { copyGradientsInto, copyVariablesInto, parameterCount } from '../../src/main/stages/train/flat-weights';
import { Project } from '../../src/main/store/project';
import { trainingImages } from '../helpers/training-images';
import { maxDifference } from '../helpers/float-difference';

/** Data-parallel training on two threads, for real: 16×16 inputs, 40 PNGs, a second wasm instance in a worker thread. */
const { freshProject } = trainingImages();
const tiny: TrainOptions = { inputSize: 16, latentDim: 4, batchSize: 8, seed: 3, threads: 2 };

function stored(project: Project, id: number): { weights: Buffer; trainThreads: number } {
  const row = project.db.prepare('SELECT weights, topology FROM models WHERE id = ?').get(id) as { weights: Buffer; topology: string };
  return { weights: row.weights, trainThreads: (JSON.parse(row.topology) as { trainThreads: number }).trainThreads };
}

function floats(blob: Buffer): Float32Array {
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

test('two threads are chosen on wasm only, for large enough sets, unless asked otherwise', () => {
  assert.equal(trainThreads('node', 10_000, undefined, {}), 1);
  assert.equal(trainThreads('wasm', 10, undefined, {}), 1);
  assert.equal(trainThreads('wasm', 10, undefined, { FARPOINT_TRAIN_THREADS: '2' }), 2);
  assert.equal(trainThreads('wasm', 10_000, undefined, { FARPOINT_TRAIN_THREADS: '1' }), 1);
  assert.equal(trainThreads('wasm', 10_000, 1, { FARPOINT_TRAIN_THREADS: '2' }), 1);
  assert.equal(trainThreads('cpu', 10_000, 2, {}), 1, 'the second thread needs wasm');
});

/** A tiny model and its pixels, as a gradient helper thread gets them: 16×16 gray, latent 4, seed 5. */
async function helperCase(name: string) {
  const { tf } = await loadTf();
  const project = await freshProject(name);
  const { set } = await loadPixels(project.db, { size: 16, channels: 1 });
  project.close();
  const shape = { inputSize: 16, channels: 1 as const, latentDim: 4, seed: 5, learningRate: 1e-3 };
  const model = autoencoderTrainee(tf, shape);
  return { tf, set, shape, ae: model, model, variables: model.variables };
}

test('one step on two threads has the full batch’s gradient (1e-5 relative) and its one-thread Adam step bit for bit, for even and odd batches', async () => {
  const { tf, set, shape, ae, model, variables } = await helperCase('gradient.farpoint');
  const helper = new GradientHelper('wasm');
  try {
    const parameters = parameterCount(variables);
    await helper.init(shape, set, parameters, 8);
    const adam = new FlatAdam(shape.learningRate, helper.adamMemory);
    copyVariablesInto(variables, adam.memory.weights);
    const rows = Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 40);
    for (const [start, end] of [[0, 16], [16, 23]] as const) {
      const group = model.groupLoss(set, rows, start, end, 0);
      const full = tf.variableGrads(() => group.loss(), variables);
      group.dispose();
      const fullLoss = full.value.dataSync()[0]!;
      const fullGrad = new Float32Array(parameters);
      copyGradientsInto(variables, full.grads, fullGrad);
      tf.dispose([full.value, ...(Object.values(full.grads) as Tensor[])]);
      const before: AdamMemory = { weights: adam.memory.weights.slice(), firstMoment: adam.memory.firstMoment.slice(), secondMoment: adam.memory.secondMoment.slice() };

      const loss = await twoThreadStep(tf, model, adam, helper, set, rows, start, end);
      assert.ok(Math.abs(loss - fullLoss) <= 1e-5 * fullLoss, `loss ${loss} vs ${fullLoss}`);
      const n = end - start;
      const nA = Math.ceil(n / 2);
      const halves = { a: helper.ownGrads, shareA: nA / n, b: helper.helperGrads, shareB: (n - nA) / n };
      const batchGrad = Float32Array.from(fullGrad, (_, i) => halves.a[i]! * halves.shareA + halves.b[i]! * halves.shareB);
      let offset = 0;
      for (const v of variables) {
        const { worst, scale } = maxDifference(batchGrad.subarray(offset, offset + v.size), fullGrad.subarray(offset, offset + v.size));
        assert.ok(worst <= 1e-5 * scale, `${v.name} (rows ${start}..${end}): max difference ${worst}, max magnitude ${scale}`);
        offset += v.size;
      }
      // Each thread stepped its half of the weights: together, the same bits as one thread stepping all of them.
      adamUpdate(before, halves, shape.learningRate, adam.steps, 0, parameters);
      assert.deepEqual(adam.memory.weights, before.weights, 'weights');
      assert.deepEqual(adam.memory.firstMoment, before.firstMoment, 'first moments');
      assert.deepEqual(adam.memory.secondMoment, before.secondMoment, 'second moments');
      const loaded = new Float32Array(parameters);
      copyVariablesInto(variables, loaded);
      assert.deepEqual(loaded, adam.memory.weights, 'the model holds the new weights');
    }
  } finally {
    await helper.close();
    ae.dispose();
  }
});

test('two-thread training lowers the loss, is reproducible bit for bit, and the stored model says it used two threads', async () => {
  const project = await freshProject('train.farpoint');
  const options = { ...tiny, epochs: 3, patience: 10 };
  const first = await trainAutoencoder(project.db, options);
  assert.equal(first.threads, 2);
  assert.ok(first.history[2]!.trainLoss < first.history[0]!.trainLoss, `training loss did not fall: ${first.history.map((h) => h.trainLoss).join(', ')}`);
  assert.ok(first.history[2]!.valLoss < first.history[0]!.valLoss, `validation loss did not fall: ${first.history.map((h) => h.valLoss).join(', ')}`);
  const again = await trainAutoencoder(project.db, { ...options, fresh: true });
  assert.ok(stored(project, again.modelId).weights.equals(stored(project, first.modelId).weights), 'two runs with one seed give the same weights');
  assert.deepEqual(again.history.map((h) => [h.trainLoss, h.valLoss]), first.history.map((h) => [h.trainLoss, h.valLoss]));
  assert.equal(stored(project, first.modelId).trainThreads, 2);

  const single = await trainAutoencoder(project.db, { ...options, threads: 1, fresh: true });
  assert.equal(single.threads, 1);
  assert.equal(stored(project, single.modelId).trainThreads, 1);
  // Same model up to float32 rounding: the two paths sum the same gradient in a different order.
  const a = floats(stored(project, first.modelId).weights);
  const b = floats(stored(project, single.modelId).weights);
  const { worst, scale } = maxDifference(a, b);
  assert.ok(worst / scale < 1e-3, `one- and two-thread models differ by ${worst / scale} (relative)`);
  project.close();
});

test('a cancelled two-thread run resumes from its checkpoint and ends where an uninterrupted run does', async () => {
  const project = await freshProject('resume.farpoint');
  const options = { ...tiny, epochs: 3, patience: 10 };
  let epochsSeen = 0;
  await assert.rejects(
    trainAutoencoder(project.db, options, {
      onProgress: (p) => {
        if (p.message.includes('validation loss')) epochsSeen++;
      },
      isCancelled: () => epochsSeen >= 1,
    }),
    JobCancelled,
  );
  const stopped = listAutoencoders(project.db)[0]!;
  assert.equal(stopped.state, 'cancelled');
  const resumed = await trainAutoencoder(project.db, options);
  assert.equal(resumed.modelId, stopped.id);
  assert.equal(resumed.resumedFromEpoch, 2);
  const uninterrupted = await trainAutoencoder(project.db, { ...options, fresh: true });
  const a = floats(stored(project, resumed.modelId).weights);
  const b = floats(stored(project, uninterrupted.modelId).weights);
  const { worst, scale } = maxDifference(a, b);
  assert.ok(worst / scale < 1e-4, `resumed weights differ from an uninterrupted run by ${worst / scale} (relative)`);
  project.close();
});

test('a helper thread that dies mid-step is reported, not waited for', async () => {
  const { set, shape, ae, variables } = await helperCase('crash.farpoint');
  const helper = new GradientHelper('wasm');
  try {
    await assert.rejects(helper.init(shape, set, 123, 8), (err) => err instanceof TrainingHelperFailed && /parameters/.test(err.message));
  } finally {
    await helper.close();
  }
  const second = new GradientHelper('wasm');
  try {
    await second.init(shape, set, parameterCount(variables), 8);
    second.post(Int32Array.from({ length: 8 }, (_, i) => i), 0, 8, 16, 1);
    const answer = second.collect();
    await second.worker.terminate();
    await assert.rejects(answer, (err) => err instanceof TrainingHelperFailed && /stopped unexpectedly/.test(err.message));
  } finally {
    await second.close();
    ae.dispose();
  }
});
