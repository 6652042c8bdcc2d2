import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { gaussian, seededRandom } from '../../src/main/core/random';

/**
 * Many small real PNGs for pipeline-scale runs (the million benchmark, the
 * 20,000-sample soak): grayscale shapes on textures, drawn here and encoded by
 * sharp, a few per cent near-copies of a recent image (the same drawing with a
 * little pixel noise), written a batch at a time (bounded memory) into folders
 * of 1,000. Seeded: the same call writes the same files.
 */

/** Images drawn and written at once (the generator's memory bound). */
const WRITE_BATCH = 256;
/** Share of the images that are near-copies of a recent one. */
const NEAR_COPY_SHARE = 0.03;

export interface ShapeImageOptions {
  /** Side of the smallest and largest image in pixels (default 64 and 128). */
  minSize?: number;
  maxSize?: number;
  seed?: number;
}

export interface ShapeImages {
  count: number;
  /** Images that are near-copies of an earlier one. */
  nearCopies: number;
  /** Bytes of PNG written. */
  bytes: number;
}

/** One image's drawing: what a near-copy repeats. */
interface Drawing {
  size: number;
  background: number;
  stripeAngle: number;
  stripePeriod: number;
  stripeContrast: number;
  shape: number;
  fill: number;
  cx: number;
  cy: number;
  radius: number;
  noiseSeed: number;
}

function planDrawing(random: () => number, minSize: number, maxSize: number): Drawing {
  const size = minSize + Math.floor(random() * (maxSize - minSize + 1));
  return {
    size,
    background: 60 + Math.floor(random() * 140),
    stripeAngle: random() * Math.PI,
    stripePeriod: 3 + random() * 20,
    stripeContrast: random() < 0.3 ? 0 : 10 + random() * 50,
    shape: Math.floor(random() * 4),
    fill: Math.floor(random() * 256),
    cx: size * (0.3 + 0.4 * random()),
    cy: size * (0.3 + 0.4 * random()),
    radius: size * (0.12 + 0.25 * random()),
    noiseSeed: Math.floor(random() * 2 ** 31),
  };
}

/** Grayscale pixels of a drawing: a striped (or plain) background, one shape (disc, square, ring, triangle), pixel noise. */
function draw(d: Drawing, noise: number): Buffer {
  const { size } = d;
  const pixels = Buffer.alloc(size * size);
  const random = seededRandom(d.noiseSeed);
  const cos = Math.cos(d.stripeAngle);
  const sin = Math.sin(d.stripeAngle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = d.background + d.stripeContrast * Math.sin(((x * cos + y * sin) / d.stripePeriod) * 2 * Math.PI);
      const dx = x - d.cx;
      const dy = y - d.cy;
      const r = d.radius;
      const inside =
        d.shape === 0 ? dx * dx + dy * dy <= r * r
        : d.shape === 1 ? Math.abs(dx) <= r && Math.abs(dy) <= r
        : d.shape === 2 ? Math.abs(Math.hypot(dx, dy) - r) <= r * 0.3
        : dy <= r && dy >= -r && Math.abs(dx) <= (dy + r) / 2;
      if (inside) v = d.fill;
      v += gaussian(random) * noise;
      pixels[y * size + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return pixels;
}

/** Writes n images into `folder` (replacing it), WRITE_BATCH at a time, in subfolders of 1,000. */
export async function writeShapeImages(folder: string, n: number, options: ShapeImageOptions = {}): Promise<ShapeImages> {
  const minSize = options.minSize ?? 64;
  const maxSize = options.maxSize ?? 128;
  fs.rmSync(folder, { recursive: true, force: true });
  const random = seededRandom(options.seed ?? 19);
  /** Recent drawings a near-copy repeats (bounded: the generator never holds more). */
  const recent: Drawing[] = [];
  let copies = 0;
  let bytes = 0;
  for (let start = 0; start < n; start += WRITE_BATCH) {
    const end = Math.min(n, start + WRITE_BATCH);
    const jobs: Promise<void>[] = [];
    for (let i = start; i < end; i++) {
      const copy = recent.length > 0 && random() < NEAR_COPY_SHARE;
      let d: Drawing;
      if (copy) {
        // The same drawing with its own noise: a near-duplicate, not a byte copy.
        d = { ...recent[Math.floor(random() * recent.length)]!, noiseSeed: Math.floor(random() * 2 ** 31) };
        copies++;
      } else {
        d = planDrawing(random, minSize, maxSize);
        recent.push(d);
        if (recent.length > 512) recent.shift();
      }
      const sub = path.join(folder, String(Math.floor(i / 1000)).padStart(4, '0'));
      if (i % 1000 === 0 || i === start) fs.mkdirSync(sub, { recursive: true });
      const pixels = draw(d, copy ? 2 : 4);
      jobs.push(
        sharp(pixels, { raw: { width: d.size, height: d.size, channels: 1 } })
          .png({ compressionLevel: 6 })
          .toBuffer()
          .then((png) => {
            bytes += png.length;
            return fs.promises.writeFile(path.join(sub, `img-${String(i).padStart(7, '0')}.png`), png);
          }),
      );
    }
    await Promise.all(jobs);
  }
  return { count: n, nearCopies: copies, bytes };
}
