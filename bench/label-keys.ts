import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { generateDemoImages } from '../src/main/stages/demo/generate-demo';
import { angularDifference } from '../src/shared/angles';

/** Turns the annotation keys make (annotate-keys.ts): arrows, Shift+arrows, Q/E, Shift+Q/E, F. */
const NUDGES = [1, -1, 10, -10, 45, -45, 90, -90, 180];
/** Ctrl+arrows point straight up, right, down, left. */
const DIALS = [0, 90, 180, 270];

/**
 * The fewest key presses an expert needs to save `target` starting from
 * `start`: either type the whole degrees and Enter, or reach it within
 * `tolerance` by turning/snap keys (breadth-first) and Enter.
 */
export function keysToLabel(start: number, target: number, tolerance: number): number {
  const typed = String(Math.round(target) % 360).length + 1;
  const wrap = (a: number) => Math.round((((a % 360) + 360) % 360) * 1000) / 1000;
  let frontier = [wrap(start)];
  const seen = new Set(frontier);
  // Past typed−1 presses turning cannot beat typing.
  for (let depth = 0; depth < typed - 1; depth++) {
    if (frontier.some((a) => angularDifference(a, target) <= tolerance)) return depth + 1;
    const next: number[] = [];
    for (const a of frontier) {
      for (const b of [...NUDGES.map((d) => wrap(a + d)), ...DIALS]) {
        if (!seen.has(b)) {
          seen.add(b);
          next.push(b);
        }
      }
    }
    frontier = next;
  }
  return typed;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Key presses per label on the demo images (first `n` in angles.csv order),
 * from 0° and from a suggestion: the angle of the nearest image labeled
 * before it, nearest by 8×8 thumbnails (a stand-in for the latent space, so
 * the bench needs no trained model). Tolerance in degrees.
 */
export async function labelKeys(n: number, tolerance = 1): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farpoint-bench-keys-'));
  try {
    const images = (await generateDemoImages(dir)).slice(0, n);
    const vectors = await Promise.all(
      images.map(async (m) => new Float32Array(await sharp(path.join(dir, m.file)).greyscale().resize(8, 8, { fit: 'fill' }).raw().toBuffer())),
    );
    const plain: number[] = [];
    const suggested: number[] = [];
    images.forEach((m, i) => {
      plain.push(keysToLabel(0, m.angle, tolerance));
      let best = -1;
      let bestDistance = Infinity;
      for (let j = 0; j < i; j++) {
        let sum = 0;
        for (let k = 0; k < 64; k++) sum += (vectors[i]![k]! - vectors[j]![k]!) ** 2;
        if (sum < bestDistance) [best, bestDistance] = [j, sum];
      }
      suggested.push(keysToLabel(best < 0 ? 0 : images[best]!.angle, m.angle, tolerance));
    });
    console.log(`key presses per label, ${images.length} demo images, tolerance ${tolerance}°`);
    console.log(`  median from 0°: ${median(plain)}   median from the nearest labeled image's angle: ${median(suggested)}`);
    const mean = (v: number[]) => (v.reduce((a, b) => a + b, 0) / v.length).toFixed(2);
    console.log(`  mean   from 0°: ${mean(plain)}   mean   from the nearest labeled image's angle: ${mean(suggested)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
