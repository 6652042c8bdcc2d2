import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { gaussian, seededRandom } from '../../src/main/core/random';

/**
 * Generated 64 × 64 images with planted near-duplicates: distinct designs
 * (four random high-contrast gray shapes on a random gray background), and
 * groups made of one design plus copies with pixel noise, a 1–2 px shift,
 * and a JPEG re-encoding. Gray, because the autoencoder sees gray by
 * default: colours that differ only in hue would collapse to similar grays
 * and make two "distinct" designs near-copies of each other in its input.
 */

const SIZE = 64;

function design(seed: number): string {
  const random = seededRandom(seed * 7919 + 13);
  const background = Math.round(30 + random() * 195);
  // Every shape differs from the background by at least 70 grey levels, so each design keeps its structure in the gray model input.
  const contrasting = () => {
    for (;;) {
      const v = Math.round(random() * 255);
      if (Math.abs(v - background) >= 70) return v;
    }
  };
  const shapes: string[] = [];
  for (let s = 0; s < 4; s++) {
    const x = Math.round(random() * 48);
    const y = Math.round(random() * 48);
    const w = Math.round(12 + random() * 28);
    const h = Math.round(12 + random() * 28);
    const v = contrasting();
    const fill = `rgb(${v},${v},${v})`;
    shapes.push(random() < 0.5 ? `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"/>` : `<ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${w / 2}" ry="${h / 2}" fill="${fill}"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}"><rect width="${SIZE}" height="${SIZE}" fill="rgb(${background},${background},${background})"/>${shapes.join('')}</svg>`;
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
