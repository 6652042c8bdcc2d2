import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { buildAutoencoder } from '../../src/main/stages/train/autoencoder';
import { JobCancelled } from '../../src/main/core/job-types';
import { embedSamples, embedThreads, TWO_THREAD_MIN_IMAGES } from '../../src/main/stages/embed/embed';
import { encodeAll } from '../../src/main/stages/embed/encode-chunks';
import { loadCurrentEmbeddings } from '../../src/main/store/embedding-store';
import { loadPixels, type PixelSet } from '../../src/main/stages/train/pixels';
import { loadTf, type Tf } from '../../src/main/stages/train/tf-backend';
import { resolveTrainSettings, trainAutoencoder } from '../../src/main/stages/train/train';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

/** Embedding on two threads (a worker with its own wasm instance) gives the single-thread vectors, for every sample. */
const dir = tempDir();
const images = path.join(dir, 'images');
let tf: Tf;

before(async () => {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  ({ tf } = await loadTf());
  await writeImageFolder(images, 40, 32);
});

async function encodeById(set: PixelSet, run: (onBatch: (ids: Int32Array, vectors: Float32Array, done: number) => void) => Promise<unknown>, dim: number): Promise<Map<number, Float32Array>> {
  const byId = new Map<number, Float32Array>();
  let lastDone = 0;
  await run((ids, vectors, done) => {
    assert.equal(vectors.length, ids.length * dim);
    assert.equal(done, lastDone + ids.length, 'the running count grows by each batch');
    lastDone = done;
    ids.forEach((id, i) => byId.set(id, vectors.slice(i * dim, (i + 1) * dim)));
  });
  assert.equal(byId.size, set.ids.length, 'every sample gets exactly one vector');
  return byId;
}

test('two-thread embedding equals the single-thread path on a tiny project', async () => {
  const project = Project.create(path.join(dir, 'threads.farpoint'));
  await importFolder(project.db, images);
  const settings = resolveTrainSettings(project.db, { inputSize: 16, latentDim: 4, seed: 5 });
  const { set } = await loadPixels(project.db, { size: 16, channels: 1 });
  project.close();
  assert.equal(set.ids.length, 40);
  const ae = buildAutoencoder(tf, settings, settings.seed);
  try {
    const one = await encodeById(set, (onBatch) => encodeAll(tf, ae, set, settings, { onBatch }, { threads: 1, batch: 6 }), 4);
    let stats: Awaited<ReturnType<typeof encodeAll>> | null = null;
    const two = await encodeById(set, async (onBatch) => {
      stats = await encodeAll(tf, ae, set, settings, { onBatch }, { threads: 2, batch: 6, waitForWorker: true });
    }, 4);
    let worst = 0;
    let scale = 0;
    for (const [id, a] of one) {
      const b = two.get(id)!;
      for (let k = 0; k < a.length; k++) {
        worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
        scale = Math.max(scale, Math.abs(a[k]!));
      }
    }
    assert.ok(scale > 0);
    assert.ok(worst / scale < 1e-5, `two threads differ from one by ${worst / scale} (relative)`);
    assert.ok(stats !== null);
    const s = stats as Awaited<ReturnType<typeof encodeAll>>;
    assert.ok(s.workerImages > 0 && s.workerImages < 40, `the worker took part: ${s.workerImages} of 40 images`);
    assert.equal(s.threads, 2);
  } finally {
    ae.dispose();
  }
});

test('a cancelled two-thread run stops and leaves no worker behind', async () => {
  const settings = { inputSize: 16, channels: 1 as const, latentDim: 4, seed: 1, batchSize: 8, learningRate: 1e-3, validationFraction: 0.1, patience: 3 };
  const n = 30;
  const set: PixelSet = { ids: Int32Array.from({ length: n }, (_, i) => i + 1), pixels: new Uint8Array(n * 256).map((_, i) => (i * 37) % 256), bytesPerImage: 256 };
  const ae = buildAutoencoder(tf, settings, 1);
  try {
    let batches = 0;
    await assert.rejects(encodeAll(tf, ae, set, settings, { onBatch: () => batches++, isCancelled: () => batches >= 1 }, { threads: 2, batch: 5 }), JobCancelled);
  } finally {
    ae.dispose();
  }
});

test('two threads only for large pools on wasm, or when forced', () => {
  assert.equal(embedThreads('cpu', 10_000, {}), 1);
  assert.equal(embedThreads('node', 10_000, {}), 1);
  assert.equal(embedThreads('wasm', TWO_THREAD_MIN_IMAGES - 1, {}), 1);
  assert.equal(embedThreads('wasm', 10, { FARPOINT_EMBED_THREADS: '2' }), 2);
  assert.equal(embedThreads('wasm', 10_000, { FARPOINT_EMBED_THREADS: '1' }), 1);
});

test('embedSamples with two threads forced stores the same vectors as with one', async () => {
  const project = Project.create(path.join(dir, 'forced.farpoint'));
  await importFolder(project.db, images);
  const model = await trainAutoencoder(project.db, { inputSize: 16, latentDim: 4, batchSize: 8, seed: 3, epochs: 1 });
  const saved = process.env.FARPOINT_EMBED_THREADS;
  try {
    process.env.FARPOINT_EMBED_THREADS = '1';
    await embedSamples(project.db, { modelId: model.modelId });
    const one = loadCurrentEmbeddings(project.db)!;
    process.env.FARPOINT_EMBED_THREADS = '2';
    const result = await embedSamples(project.db, { modelId: model.modelId });
    const two = loadCurrentEmbeddings(project.db)!;
    assert.equal(result.count, 40);
    assert.deepEqual(Array.from(two.ids), Array.from(one.ids));
    for (let i = 0; i < one.vectors.length; i++) assert.ok(Math.abs(one.vectors[i]! - two.vectors[i]!) <= 1e-5 * Math.max(1, Math.abs(one.vectors[i]!)));
  } finally {
    if (saved === undefined) delete process.env.FARPOINT_EMBED_THREADS;
    else process.env.FARPOINT_EMBED_THREADS = saved;
    project.close();
  }
});
