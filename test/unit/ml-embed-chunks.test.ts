import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { JobCancelled } from '../../src/main/core/job-types';
import { embedSamples, loadEncoderModel } from '../../src/main/stages/embed/embed';
import { CHUNKS_HELD, encodeChunks, type EncodeStats } from '../../src/main/stages/embed/encode-chunks';
import { activePixelChunks } from '../../src/main/stages/embed/pixel-chunks';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { loadTf } from '../../src/main/stages/train/tf-backend';
import { trainAutoencoder } from '../../src/main/stages/train/train';
import { countEmbeddings, loadEmbeddings } from '../../src/main/store/embedding-store';
import { Project } from '../../src/main/store/project';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

/**
 * Embedding reads and decodes the pool a chunk at a time: on a real tiny
 * project, chunks of a few images give the vectors one chunk gives, bit for
 * bit, on one thread and on two, while never holding more than CHUNKS_HELD
 * chunks of decoded images.
 */
const dir = tempDir();
const images = path.join(dir, 'images');
const COUNT = 40;
/** A file that stops decoding after training: embedding leaves it out of its chunk and reports it. */
const BROKEN = 'img-0013.png';
let project: Project;
let modelId: number;
const savedThreads = process.env.FARPOINT_EMBED_THREADS;

before(async () => {
  process.env.FARPOINT_TF_BACKEND = 'wasm';
  await writeImageFolder(images, COUNT, 32);
  project = Project.create(path.join(dir, 'chunks.farpoint'));
  await importFolder(project.db, images);
  ({ modelId } = await trainAutoencoder(project.db, { inputSize: 16, latentDim: 4, batchSize: 8, seed: 3, epochs: 1 }));
  fs.writeFileSync(path.join(images, BROKEN), 'not a png any more');
  // Training cached every input; without its cached pixels the broken file must be decoded again, and fails.
  project.db.prepare('DELETE FROM pixel_cache WHERE sample_id = (SELECT id FROM samples WHERE path LIKE ?)').run(`%${BROKEN}`);
});

after(() => {
  project.close();
  if (savedThreads === undefined) delete process.env.FARPOINT_EMBED_THREADS;
  else process.env.FARPOINT_EMBED_THREADS = savedThreads;
});

async function embedWith(chunkImages: number | undefined, threads: '1' | '2'): Promise<{ ids: number[]; vectors: Float32Array; stats: EncodeStats; unreadable: string[] }> {
  process.env.FARPOINT_EMBED_THREADS = threads;
  project.db.prepare('DELETE FROM embeddings WHERE model_id = ?').run(modelId);
  let stats: EncodeStats | null = null;
  const result = await embedSamples(project.db, { modelId, chunkImages }, { onStats: (s) => (stats = s) });
  const stored = loadEmbeddings(project.db, modelId);
  assert.equal(result.count, COUNT - 1);
  assert.equal(stored.count, COUNT - 1, 'every readable sample has its vector');
  assert.ok(stats);
  return { ids: Array.from(stored.ids), vectors: stored.vectors, stats, unreadable: result.unreadable.map((u) => path.basename(u.path)) };
}

test('chunks of 6 images give the vectors one chunk gives, bit for bit, holding at most two chunks of pixels (one thread and two)', async () => {
  const whole = await embedWith(undefined, '1');
  assert.equal(whole.stats.chunks, 1);
  assert.deepEqual(whole.unreadable, [BROKEN]);
  for (const threads of ['1', '2'] as const) {
    const chunked = await embedWith(6, threads);
    assert.equal(chunked.stats.chunks, Math.ceil(COUNT / 6), `${threads} thread(s): every chunk encoded`);
    assert.ok(chunked.stats.peakImagesHeld <= CHUNKS_HELD * 6, `${threads} thread(s): held ${chunked.stats.peakImagesHeld} decoded images at once, more than ${CHUNKS_HELD} chunks of 6`);
    assert.deepEqual(chunked.unreadable, [BROKEN], `${threads} thread(s): the unreadable file is reported`);
    assert.deepEqual(chunked.ids, whole.ids);
    assert.deepEqual(new Uint32Array(chunked.vectors.buffer, chunked.vectors.byteOffset, chunked.vectors.length), new Uint32Array(whole.vectors.buffer, whole.vectors.byteOffset, whole.vectors.length), `${threads} thread(s): vectors differ from one chunk's`);
  }
});

test('the second thread takes batches across chunks (each batch with its own rows) and the vectors stay those of one chunk', async () => {
  const whole = await embedWith(undefined, '1');
  const { tf } = await loadTf();
  const { model, settings } = loadEncoderModel(tf, project.db, modelId);
  try {
    const chunks = activePixelChunks(project.db, { size: settings.inputSize, channels: settings.channels }, { chunkImages: 6, normaliseTone: settings.normaliseTone });
    const byId = new Map<number, Float32Array>();
    const stats = await encodeChunks(tf, model, chunks, settings, { onBatch: (ids, vectors) => ids.forEach((id, i) => byId.set(id, vectors.slice(i * 4, (i + 1) * 4))) }, { threads: 2, batch: 3, waitForWorker: true });
    assert.equal(stats.threads, 2);
    assert.ok(stats.workerImages > 0 && stats.workerImages < COUNT - 1, `the worker took part: ${stats.workerImages} images`);
    assert.ok(stats.peakImagesHeld <= CHUNKS_HELD * 6, `held ${stats.peakImagesHeld} decoded images at once`);
    const vectors = new Float32Array(whole.vectors.length);
    whole.ids.forEach((id, i) => vectors.set(byId.get(id) ?? [], i * 4));
    assert.equal(byId.size, whole.ids.length);
    assert.deepEqual(new Uint32Array(vectors.buffer), new Uint32Array(whole.vectors.buffer, whole.vectors.byteOffset, whole.vectors.length));
  } finally {
    model.dispose();
  }
});

test('cancelling between chunks stops with JobCancelled and keeps the batches committed before', async () => {
  process.env.FARPOINT_EMBED_THREADS = '1';
  project.db.prepare('DELETE FROM embeddings WHERE model_id = ?').run(modelId);
  let batches = 0;
  let done = 0;
  const onProgress = (p: { message: string; done: number }) => {
    if (!p.message.startsWith('embedding')) return;
    batches++;
    done = p.done;
  };
  await assert.rejects(embedSamples(project.db, { modelId, chunkImages: 6 }, { onProgress, isCancelled: () => batches >= 3 }), JobCancelled);
  assert.equal(batches, 3);
  assert.ok(done > 12 && done < COUNT - 1, `${done} embedded before the cancel`);
  assert.equal(countEmbeddings(project.db, modelId), done, 'the batches before the cancel are committed, nothing after it');
});
