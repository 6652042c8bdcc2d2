import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../tf-type';
import { shippedKernel } from './shipped-kernels';
import { WasmOps } from './wasm-ops';

/**
 * Sum over every axis but the last (every bias gradient: dy [B, H, W, C] →
 * [C]) in JavaScript, running sums of four channels per pass over the rows. The
 * shipped kernel first transposes the reduced axes to the end with its
 * generic, slow Transpose (about 4 times the CPU time of this loop). An
 * XNNPACK product ones · x is no faster: the shipped BatchMatMul repacks its
 * big right operand on every call. Other sums go to the shipped kernel.
 */
export function sumConfig(tf: Tf): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; attrs: NamedAttrMap; backend: BackendWasm }) => {
    const { inputs, backend } = args;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const { x } = inputs;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    if (!allButLast || x.dtype !== 'float32') return shippedKernel('Sum')(args as never);
    const ops = new WasmOps(tf, backend);
    const channels = x.shape[rank - 1]!;
    const rows = x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
    const out = ops.allocate(keepDims ? [...new Array<number>(rank - 1).fill(1), channels] : [channels]);
    const src = ops.view(x);
    // Eight (then four) running sums in local variables per pass over the rows: V8 keeps them in registers, where a
    // read-modify-write of a typed-array accumulator per element ran several times slower; eight lanes halve the
    // passes over the rows (measured by `npm run bench -- train-profile`).
    const sums = new Float64Array(channels);
    if (channels === 1) sums[0] = sumOneChannel(src, rows);
    let c0 = channels === 1 ? 1 : 0;
    for (; c0 + 8 <= channels; c0 += 8) sumEightChannels(src, rows, channels, c0, sums);
    for (; c0 < channels; c0 += 4) {
      const lanes = Math.min(4, channels - c0);
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      const end = rows * channels;
      if (lanes === 4) {
        for (let s = c0; s < end; s += channels) {
          a0 += src[s]!;
          a1 += src[s + 1]!;
          a2 += src[s + 2]!;
          a3 += src[s + 3]!;
        }
      } else {
        for (let s = c0; s < end; s += channels) {
          a0 += src[s]!;
          if (lanes > 1) a1 += src[s + 1]!;
          if (lanes > 2) a2 += src[s + 2]!;
        }
      }
      const lane = [a0, a1, a2, a3];
      for (let l = 0; l < lanes; l++) sums[c0 + l] = lane[l]!;
    }
    ops.view(out).set(sums);
    return out;
  };
  return { kernelName: 'Sum', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Channels c0 … c0 + 7 summed over every row, into `sums`. */
function sumEightChannels(src: Float32Array, rows: number, channels: number, c0: number, sums: Float64Array): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  const end = rows * channels;
  for (let s = c0; s < end; s += channels) {
    a0 += src[s]!;
    a1 += src[s + 1]!;
    a2 += src[s + 2]!;
    a3 += src[s + 3]!;
    a4 += src[s + 4]!;
    a5 += src[s + 5]!;
    a6 += src[s + 6]!;
    a7 += src[s + 7]!;
  }
  sums.set([a0, a1, a2, a3, a4, a5, a6, a7], c0);
}

/**
 * A 1-channel map's sum (the output layer's bias gradient) in four running sums over consecutive floats, added in a
 * fixed order: several times faster than one dependent chain of additions with a lane test per float.
 */
function sumOneChannel(src: Float32Array, n: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 += src[i]!;
    a1 += src[i + 1]!;
    a2 += src[i + 2]!;
    a3 += src[i + 3]!;
  }
  for (; i < n; i++) a0 += src[i]!;
  return a0 + a1 + (a2 + a3);
}
