import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { loadEncoderModel } from '../../src/main/stages/embed/embed';
import { encodeAll } from '../../src/main/stages/embed/encode-chunks';
import { decodeForModel } from '../../src/main/stages/train/pixels';
import { loadTf } from '../../src/main/stages/train/tf-backend';
import type { Db } from '../../src/main/store/database';

/** Added to every pixel (of 255) for the brightness-jittered copy: inside the training augmentation's range. */
export const BRIGHTNESS_SHIFT = 20;

export interface ViewDistances {
  /** Per image: latent distance from the original to its brightness-jittered copy. */
  brightness: number[];
  /** Per image: latent distance from the original to its copy rotated by 90°. */
  rotation: number[];
}

/**
 * What a latent space keeps and what it ignores: each file, a copy made
 * brighter and a copy rotated by 90° (both written as PNGs by sharp and read
 * back through the model's own decoder) are embedded with model `modelId`;
 * returns the Euclidean distances (what the queue's FPS measures) from each
 * original to its two copies. An encoder fit for orientation labels puts the
 * brighter copy nearer than the rotated one.
 */
export async function viewDistances(db: Db, modelId: number, files: string[], workDir: string): Promise<ViewDistances> {
  const { tf } = await loadTf();
  const { model, settings } = loadEncoderModel(tf, db, modelId);
  try {
    fs.mkdirSync(workDir, { recursive: true });
    const spec = { size: settings.inputSize, channels: settings.channels };
    const per = settings.inputSize * settings.inputSize * settings.channels;
    const pixels = new Uint8Array(3 * files.length * per);
    for (const [i, file] of files.entries()) {
      const bright = path.join(workDir, `bright-${i}.png`);
      const rotated = path.join(workDir, `rotated-${i}.png`);
      await sharp(file).linear(1, BRIGHTNESS_SHIFT).png().toFile(bright);
      await sharp(file).rotate(90).png().toFile(rotated);
      for (const [k, source] of [file, bright, rotated].entries()) pixels.set(await decodeForModel(source, spec), (3 * i + k) * per);
    }
    const set = { ids: Int32Array.from({ length: 3 * files.length }, (_, i) => i), pixels, bytesPerImage: per };
    const vectors = new Float32Array(3 * files.length * settings.latentDim);
    await encodeAll(tf, model, set, settings, { onBatch: (ids, v) => vectors.set(v, ids[0]! * settings.latentDim) }, { threads: 1 });
    const distance = (a: number, b: number) => {
      let sum = 0;
      for (let d = 0; d < settings.latentDim; d++) sum += (vectors[a * settings.latentDim + d]! - vectors[b * settings.latentDim + d]!) ** 2;
      return Math.sqrt(sum);
    };
    return {
      brightness: files.map((_, i) => distance(3 * i, 3 * i + 1)),
      rotation: files.map((_, i) => distance(3 * i, 3 * i + 2)),
    };
  } finally {
    model.dispose();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
