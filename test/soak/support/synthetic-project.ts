import sharp from 'sharp';
import type { Db } from '../../../src/main/store/database';
import { Project } from '../../../src/main/store/project';
import { setCurrentModelId } from '../../../src/main/store/settings';
import { SeededRandom } from './seeded-random';

/**
 * A project with `count` samples written straight into SQLite (importing
 * 100,000 real files would take the whole CI budget). Each row has a real
 * JPEG thumbnail, so the thumbnail route serves real images.
 */
export async function createSyntheticProject(file: string, count: number, options: { embeddingDim?: number } = {}): Promise<void> {
  const thumbnails = await Promise.all(
    [0, 1, 2, 3].map((shade) =>
      sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 40 * shade, g: 90, b: 200 - 40 * shade } } })
        .jpeg({ quality: 80 })
        .toBuffer(),
    ),
  );
  const project = Project.create(file);
  try {
    const db = project.db;
    const insertSample = db.prepare(
      `INSERT INTO samples (id, path, content_hash, width, height, channels, bit_depth, format, status, imported_at)
       VALUES (?, ?, ?, 64, 64, 3, 8, 'jpeg', 'active', ?)`,
    );
    const insertThumb = db.prepare("INSERT INTO thumbnails (sample_id, width, height, mime, data) VALUES (?, 64, 64, 'image/jpeg', ?)");
    const now = new Date().toISOString();
    const batch = db.transaction((from: number, to: number) => {
      for (let id = from; id <= to; id++) {
        insertSample.run(id, `/synthetic/sample-${String(id).padStart(7, '0')}.jpg`, `hash-${id}`, now);
        insertThumb.run(id, thumbnails[id % thumbnails.length]!);
      }
    });
    for (let from = 1; from <= count; from += 10_000) batch.immediate(from, Math.min(count, from + 9_999));
    if (options.embeddingDim) addSyntheticEmbeddings(db, count, options.embeddingDim);
  } finally {
    project.close();
  }
}

/** A 'ready' model with a seeded random vector per sample, made current: the FPS queue then has a latent space to order. */
function addSyntheticEmbeddings(db: Db, count: number, dim: number): void {
  const rng = new SeededRandom(dim * 1_000_003 + count);
  db.transaction(() => {
    const modelId = Number(
      db
        .prepare("INSERT INTO models (kind, state, settings, backend, created_at, finished_at, epochs) VALUES ('autoencoder', 'ready', ?, 'synthetic', ?, ?, 0)")
        .run(JSON.stringify({ latentDim: dim }), new Date().toISOString(), new Date().toISOString()).lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
    for (let id = 1; id <= count; id++) {
      const vector = Float32Array.from({ length: dim }, () => rng.next() * 2 - 1);
      insert.run(modelId, id, Buffer.from(vector.buffer));
    }
    setCurrentModelId(db, modelId);
  }).immediate();
}
