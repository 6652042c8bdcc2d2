import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { gaussian, seededRandom } from '../../src/main/demo/random';
import { importFolder } from '../../src/main/import/import-folder';
import { saveEmbeddings } from '../../src/main/ml/embedding-store';
import type { Db } from '../../src/main/project/database';
import { Project } from '../../src/main/project/project';
import { setCurrentModelId } from '../../src/main/project/settings';

/**
 * Generated images with planted near-duplicates for the duplicates area:
 * distinct designs (random shapes), and groups made of one design plus
 * copies with pixel noise, a shift, and a JPEG re-encoding. Embeddings are
 * a deterministic image feature (8 × 8 gray average of the decoded image),
 * standing in for the autoencoder's latents: the tests check the clustering
 * on real decoded images, not the model.
 */

const SIZE = 64;

function design(seed: number): string {
  const random = seededRandom(seed * 7919 + 13);
  const shade = () => Math.round(20 + random() * 215);
  const shapes: string[] = [];
  for (let s = 0; s < 4; s++) {
    const x = Math.round(random() * 48);
    const y = Math.round(random() * 48);
    const w = Math.round(10 + random() * 30);
    const h = Math.round(10 + random() * 30);
    const fill = `rgb(${shade()},${shade()},${shade()})`;
    shapes.push(random() < 0.5 ? `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"/>` : `<ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${w / 2}" ry="${h / 2}" fill="${fill}"/>`);
  }
  const bg = shade();
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}"><rect width="${SIZE}" height="${SIZE}" fill="rgb(${bg},${bg},${bg})"/>${shapes.join('')}</svg>`;
}

async function designPixels(seed: number): Promise<Buffer> {
  return sharp(Buffer.from(design(seed))).removeAlpha().raw().toBuffer();
}

const raw = { raw: { width: SIZE, height: SIZE, channels: 3 as const } };

export interface PlantedImages {
  dir: string;
  distinct: string[];
  /** Each group: the original first, then noisy, shifted and re-encoded copies. */
  groups: string[][];
}

export async function writePlantedImages(dir: string, options: { distinct?: number; groups?: number } = {}): Promise<PlantedImages> {
  fs.mkdirSync(dir, { recursive: true });
  const distinct: string[] = [];
  for (let i = 0; i < (options.distinct ?? 40); i++) {
    const file = path.join(dir, `distinct-${String(i).padStart(3, '0')}.png`);
    await sharp(await designPixels(1000 + i), raw).png().toFile(file);
    distinct.push(file);
  }
  const groups: string[][] = [];
  for (let g = 0; g < (options.groups ?? 6); g++) {
    const base = await designPixels(5000 + g);
    const name = (variant: string, ext = 'png') => path.join(dir, `group-${g}-${variant}.${ext}`);
    await sharp(base, raw).png().toFile(name('original'));
    const random = seededRandom(g + 1);
    const noisy = Buffer.from(base);
    for (let p = 0; p < noisy.length; p++) noisy[p] = Math.max(0, Math.min(255, Math.round(noisy[p]! + gaussian(random) * 5)));
    await sharp(noisy, raw).png().toFile(name('noise'));
    // Shifted 2 px right and 1 px down, the uncovered edge repeating the border.
    await sharp(base, raw).extend({ top: 1, left: 2, extendWith: 'copy' }).extract({ left: 0, top: 0, width: SIZE, height: SIZE }).png().toFile(name('shift'));
    await sharp(base, raw).jpeg({ quality: 55 }).toFile(name('reencoded', 'jpg'));
    groups.push([name('original'), name('noise'), name('shift'), name('reencoded', 'jpg')]);
  }
  return { dir, distinct, groups };
}

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
