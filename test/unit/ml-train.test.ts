import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedSamples } from '../../src/main/stages/embed/embed';
import { loadCurrentEmbeddings } from '../../src/main/store/embedding-store';
import { latentMap } from '../../src/main/stages/map/latent-map';
import { listAutoencoders } from '../../src/main/store/model-store';
import { loadTf } from '../../src/main/stages/train/tf-backend';
import { JobCancelled } from '../../src/main/core/job-types';
import { trainAutoencoder, type TrainOptions } from '../../src/main/stages/train/train';
import { Project } from '../../src/main/store/project';
import { currentModelId } from '../../src/main/store/settings';
import { trainingImages } from '../helpers/training-images';
import { maxDifference } from '../helpers/float-difference';

/** Real training on real PNGs decoded by sharp: 16×16 inputs and a few dozen images keep it to seconds. */
const { freshProject } = trainingImages();
const tiny: TrainOptions = { inputSize: 16, latentDim: 4, batchSize: 8, seed: 3 };

function floats(blob: Buffer): Float32Array {
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

function modelBlob(project: Project, id: number): Buffer {
  return (project.db.prepare('SELECT weights FROM models WHERE id = ?').get(id) as { weights: Buffer }).weights;
}

test('training lowers the validation loss and stores the model with settings, backend, losses, date and history', async () => {
  const project = await freshProject('train.farpoint');
  const result = await trainAutoencoder(project.db, { ...tiny, epochs: 3, patience: 10 });
  assert.equal(result.backend, (await loadTf()).backend);
  assert.equal(result.epochs, 3);
  assert.equal(result.trainImages + result.valImages, 40);
  assert.ok(result.valImages >= 1);
  assert.ok(result.history[2]!.valLoss < result.history[0]!.valLoss, `validation loss did not fall: ${result.history.map((h) => h.valLoss).join(', ')}`);
  const [model] = listAutoencoders(project.db);
  assert.equal(model!.state, 'ready');
  assert.equal(model!.backend, 'wasm');
  assert.equal(model!.inputSize, 16);
  assert.equal(model!.latentDim, 4);
  assert.equal(model!.history.length, 3);
  assert.ok(model!.finishedAt && !Number.isNaN(Date.parse(model!.finishedAt)));
  assert.equal(model!.valLoss, result.valLoss);
  assert.equal((project.db.prepare('SELECT COUNT(*) AS n FROM checkpoints').get() as { n: number }).n, 0, 'the checkpoint is dropped once the model is stored');
  assert.equal((project.db.prepare('SELECT COUNT(*) AS n FROM pixel_cache WHERE size = 16').get() as { n: number }).n, 40, 'decoded inputs are cached');

  // Same seed, same backend: the same model, bit for bit.
  const again = await trainAutoencoder(project.db, { ...tiny, epochs: 3, patience: 10, fresh: true });
  assert.notEqual(again.modelId, result.modelId);
  assert.ok(modelBlob(project, again.modelId).equals(modelBlob(project, result.modelId)), 'training is reproducible');
  project.close();
});

test('embedding gives every active sample a vector and makes the model current; retraining makes a new current model', async () => {
  const project = await freshProject('embed.farpoint');
  const first = await trainAutoencoder(project.db, { ...tiny, epochs: 1 });
  assert.equal(currentModelId(project.db), null, 'a model becomes current only once embedded');
  const embedded = await embedSamples(project.db);
  assert.equal(embedded.modelId, first.modelId);
  assert.equal(embedded.count, 40);
  assert.equal(embedded.dimension, 4);
  const matrix = loadCurrentEmbeddings(project.db)!;
  assert.equal(matrix.modelId, first.modelId);
  assert.equal(matrix.count, 40);
  assert.ok(matrix.vectors.every(Number.isFinite));
  assert.ok(new Set(Array.from({ length: 40 }, (_, i) => matrix.vectors[i * 4]!)).size > 30, 'different images get different vectors');

  const map = latentMap(project.db);
  assert.equal(map.count, 40);
  assert.ok(map.explainedVariance[0] >= map.explainedVariance[1] && map.explainedVariance[0] + map.explainedVariance[1] <= 1 + 1e-9);

  const second = await trainAutoencoder(project.db, { ...tiny, epochs: 1, seed: 4 });
  await embedSamples(project.db, { modelId: second.modelId });
  assert.equal(currentModelId(project.db), second.modelId);
  assert.equal(loadCurrentEmbeddings(project.db)!.count, 40);
  const counts = project.db.prepare('SELECT model_id, COUNT(*) AS n FROM embeddings GROUP BY model_id ORDER BY model_id').all();
  assert.deepEqual(counts, [{ model_id: first.modelId, n: 40 }, { model_id: second.modelId, n: 40 }], 'both models keep their embeddings');
  project.close();
});

test('a cancelled run resumes from its last checkpoint and ends with the same model as an uninterrupted run', async () => {
  const project = await freshProject('resume.farpoint');
  const options = { ...tiny, epochs: 3, patience: 10 };
  let epochsSeen = 0;
  await assert.rejects(
    trainAutoencoder(project.db, options, {
      onProgress: (p) => {
        if (p.message.startsWith('epoch') && p.message.includes('validation loss')) epochsSeen++;
      },
      isCancelled: () => epochsSeen >= 1,
    }),
    JobCancelled,
  );
  const stopped = listAutoencoders(project.db)[0]!;
  assert.equal(stopped.state, 'cancelled');
  assert.equal((project.db.prepare('SELECT epoch FROM checkpoints WHERE model_id = ?').get(stopped.id) as { epoch: number }).epoch, 1);

  const resumed = await trainAutoencoder(project.db, options);
  assert.equal(resumed.modelId, stopped.id, 'the interrupted model is continued, not replaced');
  assert.equal(resumed.resumedFromEpoch, 2);
  assert.equal(resumed.history.length, 3);

  const uninterrupted = await trainAutoencoder(project.db, { ...options, fresh: true });
  // Equal up to float rounding: Adam's bias correction is recomputed as β^t on restore instead of the running product.
  const a = floats(modelBlob(project, resumed.modelId));
  const b = floats(modelBlob(project, uninterrupted.modelId));
  assert.equal(a.length, b.length);
  const { worst, scale } = maxDifference(a, b);
  assert.ok(worst / scale < 1e-4, `resumed weights differ from an uninterrupted run by ${worst / scale} (relative)`);
  project.close();
});
