import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { embedSamples } from '../../src/main/stages/embed/embed';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { JobCancelled } from '../../src/main/core/job-types';
import { trainAutoencoder, type TrainOptions } from '../../src/main/stages/train/train';
import { drawSample, trainingSample } from '../../src/main/stages/train/training-sample';
import { listAutoencoders } from '../../src/main/store/model-store';
import { Project } from '../../src/main/store/project';
import { runCli } from '../helpers/cli';
import { maxDifference } from '../helpers/float-difference';
import { writeDistinctPng } from '../helpers/images';
import { trainingImages } from '../helpers/training-images';

/**
 * The training-sample cap, for real: 40 PNGs of 16 px, a cap of 12, one or two epochs. What training decoded is
 * read off the pixel cache (a sample gets a row there only when its file was decoded for the model).
 */
const { dir, freshProject } = trainingImages(40, 16);
const tiny: TrainOptions = { inputSize: 16, latentDim: 4, batchSize: 4, seed: 3, epochs: 1, maxTrainingImages: 12, threads: 1 };

function decodedIds(project: Project): number[] {
  return (project.db.prepare('SELECT sample_id FROM pixel_cache WHERE size = 16 ORDER BY sample_id').pluck().all() as number[]);
}

function floats(project: Project, id: number): Float32Array {
  const blob = (project.db.prepare('SELECT weights FROM models WHERE id = ?').get(id) as { weights: Buffer }).weights;
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

test('above the cap, training decodes and trains on only a seeded sample of that many, says so, and embedding still covers every sample', async () => {
  const project = await freshProject('capped.farpoint');
  const messages: string[] = [];
  const result = await trainAutoencoder(project.db, tiny, { onProgress: (p) => messages.push(p.message) });
  assert.equal(result.trainImages + result.valImages, 12, 'the split is made within the sample');
  assert.equal(result.poolImages, 40);
  assert.deepEqual(decodedIds(project), Array.from(trainingSample(project.db, 12, 3).sources, (s) => s.id), 'only the drawn samples were decoded');
  assert.ok(messages.includes('training on 12 of 40 images (a seeded sample)'), `no sample message among: ${[...new Set(messages)].slice(0, 5).join(' | ')}`);
  const [model] = listAutoencoders(project.db);
  assert.deepEqual(model!.sample, { images: 12, pool: 40 });
  assert.equal(model!.maxTrainingImages, 12);

  const embedded = await embedSamples(project.db, { modelId: result.modelId });
  assert.equal(embedded.count, 40);
  assert.equal((project.db.prepare('SELECT COUNT(*) FROM embeddings WHERE model_id = ?').pluck().get(result.modelId) as number), 40, 'every active sample has a vector');
  assert.equal(decodedIds(project).length, 40, 'embedding decoded the rest');
  project.close();
});

test('at or below the cap every active sample trains; the sample is the same for the same seed and another for another seed', async () => {
  const project = await freshProject('uncapped.farpoint');
  const all = await trainAutoencoder(project.db, { ...tiny, maxTrainingImages: 40 });
  assert.equal(all.trainImages + all.valImages, 40);
  assert.deepEqual(listAutoencoders(project.db)[0]!.sample, { images: 40, pool: 40 });

  const ids = (seed: number) => trainingSample(project.db, 12, seed).sources.map((s) => s.id);
  assert.equal(ids(3).length, 12);
  assert.deepEqual(ids(3), ids(3));
  assert.notDeepEqual(ids(3), ids(4));
  assert.ok(ids(3).every((id, i, a) => i === 0 || a[i - 1]! < id), 'the sample is read in id order');
  assert.equal(trainingSample(project.db, 40, 3).drawnIds, null, 'no sample is drawn (or recorded) at the cap');

  // A million ids: every drawn id is one of them, none twice.
  const million = Int32Array.from({ length: 1_000_000 }, (_, i) => i * 2 + 1);
  const drawn = drawSample(million, 20_000, 1);
  assert.equal(new Set(drawn).size, 20_000);
  assert.ok(drawn.every((id) => id % 2 === 1 && id < 2_000_000));
  assert.throws(() => drawSample(million, 0, 1), /cap must be a positive integer, got 0/);
  project.close();
});

test('a resumed capped run trains on the sample its checkpoint recorded, even after more images were imported', async () => {
  const project = await freshProject('resume.farpoint');
  const options = { ...tiny, epochs: 2, patience: 10 };
  let epochs = 0;
  await assert.rejects(
    trainAutoencoder(project.db, options, {
      onProgress: (p) => {
        if (p.message.startsWith('epoch') && p.message.includes('validation loss')) epochs++;
      },
      isCancelled: () => epochs >= 1,
    }),
    JobCancelled,
  );
  const recorded = decodedIds(project);
  assert.equal(recorded.length, 12);
  const checkpoint = JSON.parse(project.db.prepare('SELECT state FROM checkpoints').pluck().get() as string) as { sampleIds: number[] };
  assert.deepEqual(checkpoint.sampleIds, recorded);

  // Eight more images: a fresh draw from 48 is another sample.
  const more = path.join(dir, 'more');
  for (let i = 0; i < 8; i++) await writeDistinctPng(path.join(more, `extra-${i}.png`), 100 + i, 16);
  await importFolder(project.db, more);
  assert.notDeepEqual(trainingSample(project.db, 12, 3).sources.map((s) => s.id), recorded, 'the pool change alone would change the sample');

  const resumed = await trainAutoencoder(project.db, options);
  assert.equal(resumed.resumedFromEpoch, 2);
  assert.equal(resumed.trainImages + resumed.valImages, 12);
  assert.equal(resumed.poolImages, 48);
  assert.deepEqual(decodedIds(project), recorded, 'nothing outside the recorded sample was decoded');
  project.close();
});

test('the second training thread trains on the same sample: a two-thread capped run ends where a one-thread one does', async () => {
  const project = await freshProject('threads.farpoint');
  const options = { ...tiny, epochs: 2, patience: 10 };
  const one = await trainAutoencoder(project.db, options);
  const two = await trainAutoencoder(project.db, { ...options, threads: 2, fresh: true });
  assert.equal(two.threads, 2);
  assert.equal(two.trainImages + two.valImages, 12);
  assert.deepEqual(two.history.map((h) => h.epoch), [1, 2]);
  // The same rows on both paths give the same model up to float32 rounding; other pixels on the helper would not.
  const { worst, scale } = maxDifference(floats(project, one.modelId), floats(project, two.modelId));
  assert.ok(worst / scale < 1e-3, `one- and two-thread capped models differ by ${worst / scale} (relative)`);
  assert.equal(decodedIds(project).length, 12);
  project.close();
});

test('farpoint train --max-images N trains on N images and --normalise-tone is stored with the model; an out-of-range N is refused in one line', async () => {
  const project = await freshProject('cli.farpoint');
  const file = project.path;
  project.close();
  const bad = runCli(['train', file, '--max-images', '1']);
  assert.notEqual(bad.status, 0);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /--max-images/);
  assert.match(bad.stderr, /\b2\b/, `the refusal names the lower bound: ${bad.stderr}`);
  const trained = runCli(['train', file, '--max-images', '12', '--normalise-tone', '--epochs', '1', '--size', '16', '--latent', '4', '--batch', '4', '--json'], { FARPOINT_TF_BACKEND: 'wasm' });
  assert.equal(trained.status, 0, trained.stderr);
  const result = JSON.parse(trained.stdout) as { trainImages: number; valImages: number; poolImages: number };
  assert.equal(result.trainImages + result.valImages, 12);
  assert.equal(result.poolImages, 40);
  const reopened = Project.open(file);
  try {
    const [model] = listAutoencoders(reopened.db);
    assert.deepEqual(model!.sample, { images: 12, pool: 40 });
    assert.equal(model!.normaliseTone, true);
  } finally {
    reopened.close();
  }
});
