import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { saveEmbeddings } from '../../src/main/store/embedding-store';
import type { Db } from '../../src/main/store/database';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import { writePlantedImages, type PlantedImages } from './planted-images';

/**
 * A planted-duplicates project embedded with a fixed image feature (the
 * decoded image in gray, averaged to 8 × 8) instead of a trained
 * autoencoder. For the tests of what the user does with clusters (review
 * actions, CLI, the view), which need clusters to be there, not the model;
 * a trained latent space costs seconds of training per test file.
 * duplicates-planted.test.ts checks the clusters in the real latent space.
 */

/** The stand-in embedding: the decoded image in gray, averaged down to 8 × 8, scaled to 0–1. */
export async function pixelFeature(file: string): Promise<Float32Array> {
  const pixels = await sharp(file).greyscale().resize(8, 8, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return Float32Array.from(pixels, (v) => v / 255);
}

/** A 'ready' autoencoder row made current, as training would leave it. */
export function addCurrentModel(db: Db, latentDim: number): number {
  const info = db
    .prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'test-feature', ?)")
    .run(JSON.stringify({ latentDim }), new Date().toISOString());
  const id = Number(info.lastInsertRowid);
  setCurrentModelId(db, id);
  return id;
}

/** Embeds every sample of the project with pixelFeature under a new current model. */
export async function embedWithPixelFeature(db: Db): Promise<number> {
  const rows = db.prepare('SELECT id, path FROM samples ORDER BY id').all() as { id: number; path: string }[];
  const modelId = addCurrentModel(db, 64);
  const vectors = new Float32Array(rows.length * 64);
  for (const [i, row] of rows.entries()) vectors.set(await pixelFeature(row.path), i * 64);
  saveEmbeddings(db, modelId, rows.map((r) => r.id), vectors, 64);
  return modelId;
}

export interface PlantedProject extends PlantedImages {
  projectPath: string;
  /** A byte-identical copy of distinct[0] stored as its own sample (as an older import would have). */
  contentCopy: string;
}

/** Imports the planted images into a new project, adds a same-hash copy of one file, and embeds everything but that copy. */
export async function plantedProject(dir: string, options: { distinct?: number; groups?: number } = {}): Promise<PlantedProject> {
  const images = await writePlantedImages(path.join(dir, 'images'), options);
  const project = Project.create(path.join(dir, 'planted.farpoint'));
  try {
    await importFolder(project.db, images.dir);
    await embedWithPixelFeature(project.db);
    const contentCopy = path.join(dir, 'older-import', path.basename(images.distinct[0]!));
    fs.mkdirSync(path.dirname(contentCopy), { recursive: true });
    fs.copyFileSync(images.distinct[0]!, contentCopy);
    project.db
      .prepare(
        `INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, status, imported_at)
         SELECT ?, content_hash, width, height, channels, bit_depth, format, 'active', imported_at FROM samples WHERE path = ?`,
      )
      .run(contentCopy, images.distinct[0]!);
    project.db
      .prepare('INSERT INTO thumbnails (sample_id, width, height, mime, data) SELECT (SELECT id FROM samples WHERE path = ?), width, height, mime, data FROM thumbnails WHERE sample_id = (SELECT id FROM samples WHERE path = ?)')
      .run(contentCopy, images.distinct[0]!);
    return { ...images, projectPath: project.path, contentCopy };
  } finally {
    project.close();
  }
}
