import type { Tensor } from '@tensorflow/tfjs';
import { FarpointError } from '../../core/errors';
import type { WeightGroup } from '../../store/model-store';
import type { Tf } from './tf-backend';

/**
 * Weights as one float32 BLOB plus a manifest of shapes, in a fixed order.
 * Names are not stored: TensorFlow.js names variables per process, so only
 * the order (fixed by the architecture) identifies a weight.
 */
export function encodeWeights(groups: { name: string; tensors: Tensor[] }[]): { manifest: WeightGroup[]; blob: Buffer } {
  const manifest = groups.map((g) => ({ name: g.name, shapes: g.tensors.map((t) => t.shape.slice()) }));
  const total = groups.reduce((n, g) => n + g.tensors.reduce((m, t) => m + t.size, 0), 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const group of groups) {
    for (const t of group.tensors) {
      all.set(t.dataSync() as Float32Array, offset);
      offset += t.size;
    }
  }
  return { manifest, blob: Buffer.from(all.buffer, all.byteOffset, all.byteLength) };
}

/** Tensors by group name; the caller disposes them. Checks sizes so a damaged BLOB fails with a clear message. */
export function decodeWeights(tf: Tf, manifest: WeightGroup[], blob: Buffer, what: string): Map<string, Tensor[]> {
  const expected = manifest.reduce((n, g) => n + g.shapes.reduce((m, s) => m + s.reduce((a, b) => a * b, 1), 0), 0);
  if (blob.byteLength !== expected * 4) throw new FarpointError(`${what}: stored weights are ${blob.byteLength} bytes, expected ${expected * 4}`, 500);
  // Copy: a BLOB's Buffer may not be 4-byte aligned.
  const all = new Float32Array(expected);
  new Uint8Array(all.buffer).set(blob);
  const out = new Map<string, Tensor[]>();
  let offset = 0;
  for (const group of manifest) {
    out.set(
      group.name,
      group.shapes.map((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const t = tf.tensor(all.subarray(offset, offset + size), shape, 'float32');
        offset += size;
        return t;
      }),
    );
  }
  return out;
}
