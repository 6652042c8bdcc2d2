import { seededRandom } from '../../../core/random';
import type { PixelSet } from '../pixels';
import { stretchTone } from '../tone-stretch';
import { augment, DEFAULT_AUGMENT, type AugmentRanges, type Image } from './augment';

/**
 * The seed of one augmented view: a hash of the run's seed, the optimizer
 * step, the pixel row and which of its two views. It depends on nothing a
 * thread owns, so either training thread draws the same view of a row, and
 * a resumed run draws what the uninterrupted one would have.
 */
export function viewSeed(seed: number, step: number, row: number, view: number): number {
  let h = 0x9e3779b9;
  for (const part of [seed, step, row, view]) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * Two augmented views of rows `order[start..end)` of `set`, as one float
 * batch [2n, S, S, C]: the n first views, then the n second views in the
 * same row order (NT-Xent's pairing: row i with row i + n). With
 * `normaliseTone`, each view's tone is stretched again after augmentation
 * (tone-stretch.ts): what enters the network is normalised in training as
 * it is in embedding, where the set's images were stretched when loaded.
 */
export function viewPairs(
  set: PixelSet,
  spec: { inputSize: number; channels: number; seed: number; normaliseTone?: boolean },
  order: ArrayLike<number>,
  start: number,
  end: number,
  step: number,
  ranges: AugmentRanges = DEFAULT_AUGMENT,
): Float32Array {
  const n = end - start;
  const per = set.bytesPerImage;
  const out = new Float32Array(2 * n * per);
  const image: Image = { data: new Float32Array(per), size: spec.inputSize, channels: spec.channels };
  for (let i = 0; i < n; i++) {
    const row = order[start + i]!;
    const src = set.pixels.subarray(row * per, (row + 1) * per);
    for (let k = 0; k < per; k++) image.data[k] = src[k]! / 255;
    for (let view = 0; view < 2; view++) {
      const augmented = augment(image, seededRandom(viewSeed(spec.seed, step, row, view)), ranges);
      if (spec.normaliseTone) stretchTone(augmented.data, 1);
      out.set(augmented.data, (view * n + i) * per);
    }
  }
  return out;
}
