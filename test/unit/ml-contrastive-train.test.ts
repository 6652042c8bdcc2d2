import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedSamples } from '../../src/main/stages/embed/embed';
import { JobCancelled } from '../../src/main/core/job-types';
import { trainAutoencoder, type TrainOptions } from '../../src/main/stages/train/train';
import { loadCurrentEmbeddings } from '../../src/main/store/embedding-store';
import { listAutoencoders } from '../../src/main/store/model-store';
import { Project } from '../../src/main/store/project';
import { runCli } from '../helpers/cli';
import { maxDifference } from '../helpers/float-difference';
import { trainingImages } from '../helpers/training-images';

/** The contrastive encoder, trained for real on real PNGs decoded by sharp: 16×16 inputs and 40 images keep it to seconds. */
const { freshProject } = trainingImages();
const tiny: TrainOptions = { encoder: 'contrastive', inputSize: 16, latentDim: 4, batchSize: 8, seed: 3, epochs: 3, patience: 10 };

function weights(project: Project, id: number): Float32Array {
  const blob = (project.db.prepare('SELECT weights FROM models WHERE id = ?').get(id) as { weights: Buffer }).weights;
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

test('contrastive training lowers NT-Xent, is reproducible, and the model record says contrastive; embedding uses its encoder', async () => {
  const project = await freshProject('contrastive.farpoint');
  const first = await trainAutoencoder(project.db, { ...tiny, threads: 1 });
  assert.equal(first.encoder, 'contrastive');
  assert.ok(first.history[2]!.trainLoss < first.history[0]!.trainLoss, `training loss did not fall: ${first.history.map((h) => h.trainLoss).join(', ')}`);
  assert.ok(first.history[2]!.valLoss < first.history[0]!.valLoss, `validation loss did not fall: ${first.history.map((h) => h.valLoss).join(', ')}`);
  const again = await trainAutoencoder(project.db, { ...tiny, threads: 1, fresh: true });
  assert.deepEqual(weights(project, again.modelId), weights(project, first.modelId), 'one seed, one backend: the same model');

  const autoencoder = await trainAutoencoder(project.db, { ...tiny, encoder: undefined, epochs: 1 });
  const models = listAutoencoders(project.db);
  assert.deepEqual(models.map((m) => [m.id, m.encoder]), [[autoencoder.modelId, 'autoencoder'], [again.modelId, 'contrastive'], [first.modelId, 'contrastive']]);

  const embedded = await embedSamples(project.db, { modelId: first.modelId });
  assert.equal(embedded.count, 40);
  assert.equal(embedded.dimension, 4);
  const matrix = loadCurrentEmbeddings(project.db)!;
  assert.equal(matrix.modelId, first.modelId);
  assert.ok(matrix.vectors.every(Number.isFinite));
  project.close();
});

test('contrastive training on two threads: the same loss as one thread (the halves are the groups on both paths), reproducible', async () => {
  const project = await freshProject('threads.farpoint');
  const two = await trainAutoencoder(project.db, { ...tiny, threads: 2 });
  assert.equal(two.threads, 2);
  const twoAgain = await trainAutoencoder(project.db, { ...tiny, threads: 2, fresh: true });
  assert.deepEqual(weights(project, twoAgain.modelId), weights(project, two.modelId));
  const one = await trainAutoencoder(project.db, { ...tiny, threads: 1, fresh: true });
  // The first epoch's loss is the same function of the same weights and views on both paths, up to float32 rounding.
  assert.ok(Math.abs(one.history[0]!.trainLoss - two.history[0]!.trainLoss) < 1e-4 * one.history[0]!.trainLoss, `${one.history[0]!.trainLoss} vs ${two.history[0]!.trainLoss}`);
  const { worst, scale } = maxDifference(weights(project, one.modelId), weights(project, two.modelId));
  assert.ok(worst / scale < 1e-3, `one- and two-thread models differ by ${worst / scale} (relative)`);
  project.close();
});

test('a cancelled contrastive run resumes from its checkpoint (and not an autoencoder run with the same settings)', async () => {
  const project = await freshProject('resume.farpoint');
  let epochsSeen = 0;
  const cancelAfterOne = {
    onProgress: (p: { message: string }) => {
      if (p.message.startsWith('epoch') && p.message.includes('validation loss')) epochsSeen++;
    },
    isCancelled: () => epochsSeen >= 1,
  };
  await assert.rejects(trainAutoencoder(project.db, { ...tiny, encoder: undefined }, cancelAfterOne), JobCancelled);
  const autoencoderRun = listAutoencoders(project.db)[0]!;
  epochsSeen = 0;
  await assert.rejects(trainAutoencoder(project.db, tiny, cancelAfterOne), JobCancelled);
  const stopped = listAutoencoders(project.db)[0]!;
  assert.notEqual(stopped.id, autoencoderRun.id, 'an interrupted autoencoder run is not continued as a contrastive one');
  assert.equal(stopped.encoder, 'contrastive');

  const resumed = await trainAutoencoder(project.db, tiny);
  assert.equal(resumed.modelId, stopped.id);
  assert.equal(resumed.resumedFromEpoch, 2);
  const uninterrupted = await trainAutoencoder(project.db, { ...tiny, fresh: true });
  // The views are seeded by the optimizer step, which the checkpoint keeps: the resumed run sees what this one saw.
  const { worst, scale } = maxDifference(weights(project, resumed.modelId), weights(project, uninterrupted.modelId));
  assert.ok(worst / scale < 1e-4, `resumed weights differ from an uninterrupted run by ${worst / scale} (relative)`);
  project.close();
});

test('farpoint train --encoder contrastive trains the contrastive encoder; another value is refused in one line; status names the encoder', async () => {
  const project = await freshProject('cli.farpoint');
  const file = project.path;
  project.close();
  const bad = runCli(['train', file, '--encoder', 'simclr']);
  assert.notEqual(bad.status, 0);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /--encoder must be one of autoencoder, contrastive, got 'simclr'/);
  const trained = runCli(['train', file, '--encoder', 'contrastive', '--epochs', '1', '--size', '16', '--latent', '4', '--batch', '8', '--json'], { FARPOINT_TF_BACKEND: 'wasm' });
  assert.equal(trained.status, 0, trained.stderr);
  assert.equal(JSON.parse(trained.stdout).encoder, 'contrastive');
  assert.equal(runCli(['embed', file]).status, 0);
  assert.match(runCli(['status', file]).stdout, /embedded\s+40 \(model \d+, contrastive, wasm\)/);
});
