import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../src/main/core/random';

/** What the `mnist` package offers per digit: 28×28 grey values in [0, 1], row-major. */
interface MnistDigit {
  length: number;
  get(which: number): number[];
}

const SIZE = 64;
/** The digit is drawn this large inside the 64×64 frame, so a rotation never cuts it. */
const DIGIT = 40;

export interface RotatedDigitsOptions {
  /** Items of the near-duplicate digit, each drawn in `variants` near-identical copies (the issue: 150 × 8). */
  items: number;
  variants: number;
  /** Distinct images of the other nine digits together. */
  others: number;
  /** The digit made of near-duplicates. */
  duplicated?: number;
  seed?: number;
}

/**
 * A rotated set of real handwritten digits (the `mnist` package): 64×64
 * grey PNGs, each an MNIST digit turned clockwise by a random angle (its
 * label: upright is 0°). One digit comes as `items` items × `variants`
 * near-identical copies (the same image and angle, with a sub-degree turn,
 * a one-pixel shift and a slight brightness change, as repeated shots of
 * one object); the other digits are all distinct. angles.csv holds the
 * path, the true angle, the item and the digit. Deterministic for a seed.
 */
export async function writeRotatedDigits(dir: string, options: RotatedDigitsOptions): Promise<{ csv: string; images: number }> {
  const mnist = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const random = seededRandom(options.seed ?? 1);
  const duplicated = options.duplicated ?? 7;
  const imagesDir = path.join(dir, 'images');
  await fs.mkdir(imagesDir, { recursive: true });
  const rows: string[] = ['path,angle,item,digit'];
  const jobs: { file: string; digit: number; index: number; angle: number; shift: [number, number]; gain: number }[] = [];
  const used = new Map<number, number>();
  const take = (digit: number) => {
    const k = used.get(digit) ?? 0;
    used.set(digit, k + 1);
    return k % mnist[digit]!.length;
  };
  for (let item = 0; item < options.items; item++) {
    const index = take(duplicated);
    const angle = random() * 360;
    for (let v = 0; v < options.variants; v++) {
      const jitter = v === 0 ? 0 : (random() - 0.5) * 1.5;
      const shift: [number, number] = v === 0 ? [0, 0] : [Math.round((random() - 0.5) * 2), Math.round((random() - 0.5) * 2)];
      jobs.push({ file: `d${duplicated}-item${item}-v${v}.png`, digit: duplicated, index, angle: (angle + jitter + 360) % 360, shift, gain: 1 - random() * 0.08 });
    }
  }
  const otherDigits = [...Array(10).keys()].filter((d) => d !== duplicated);
  for (let k = 0; k < options.others; k++) {
    const digit = otherDigits[k % otherDigits.length]!;
    jobs.push({ file: `d${digit}-${k}.png`, digit, index: take(digit), angle: random() * 360, shift: [0, 0], gain: 1 });
  }
  for (let i = 0; i < jobs.length; i += 16) {
    await Promise.all(jobs.slice(i, i + 16).map(async (job) => fs.writeFile(path.join(imagesDir, job.file), await drawDigit(mnist[job.digit]!.get(job.index), job.angle, job.shift, job.gain))));
  }
  for (const job of jobs) {
    const item = job.file.startsWith(`d${duplicated}-item`) ? job.file.split('-')[1]! : job.file.replace('.png', '');
    rows.push(`images/${job.file},${job.angle.toFixed(3)},${item},${job.digit}`);
  }
  const csv = path.join(dir, 'angles.csv');
  await fs.writeFile(csv, rows.join('\n') + '\n');
  return { csv, images: jobs.length };
}

/** One digit: scaled to DIGIT px, centred in the frame, turned clockwise by `angle`, shifted, dimmed by `gain`. */
async function drawDigit(pixels: number[], angle: number, shift: [number, number], gain: number): Promise<Buffer> {
  const raw = Buffer.from(pixels.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255 * gain)));
  const digit = await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } }).resize(DIGIT, DIGIT).png().toBuffer();
  const pad = (SIZE - DIGIT) / 2;
  const framed = await sharp(digit).extend({ top: pad, bottom: pad, left: pad, right: pad, background: { r: 0, g: 0, b: 0 } }).png().toBuffer();
  // sharp turns clockwise for a positive angle and grows the canvas: crop the centre back to 64×64.
  const turned = sharp(await sharp(framed).rotate(angle, { background: { r: 0, g: 0, b: 0 } }).png().toBuffer());
  const { width, height } = await turned.metadata();
  const clamp = (v: number, max: number) => Math.min(Math.max(0, v), max);
  const left = clamp(Math.round((width! - SIZE) / 2) - shift[0], width! - SIZE);
  const top = clamp(Math.round((height! - SIZE) / 2) - shift[1], height! - SIZE);
  return turned.extract({ left, top, width: SIZE, height: SIZE }).greyscale().png().toBuffer();
}
