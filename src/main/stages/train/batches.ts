import type { Tensor4D } from '@tensorflow/tfjs';
import type { PixelSet } from './pixels';
import type { Tf } from './tf-backend';

/** A float batch [n, S, S, C] in 0..1 from the uint8 pixel set, rows picked by `order[start..end)`. */
export function batchTensor(tf: Tf, set: PixelSet, spec: { inputSize: number; channels: number }, order: ArrayLike<number>, start: number, end: number): Tensor4D {
  const n = end - start;
  const per = set.bytesPerImage;
  const values = new Float32Array(n * per);
  for (let i = 0; i < n; i++) {
    const row = order[start + i]!;
    const src = set.pixels.subarray(row * per, (row + 1) * per);
    const base = i * per;
    for (let k = 0; k < per; k++) values[base + k] = src[k]! / 255;
  }
  return tf.tensor4d(values, [n, spec.inputSize, spec.inputSize, spec.channels]);
}

/** Seeded Fisher–Yates shuffle of 0..n-1 in place of `out`. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
