import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { WasmOps } from './wasm-ops';

/**
 * The input gradient dx[b, o·s + t − p, ci] += Σ_co dy[b, o, co] · w[t, ci, co]
 * as one XNNPACK product and a col2im sum: C = dy · Wᵀ, with dy
 * [B, H_out, W_out, C_out] read as the [N, C_out] matrix it is and Wᵀ
 * [C_out, k_h·k_w·C_in] the filter transposed (weights only: small), puts in
 * row n of C [N, K] what output pixel n gives each tap of its window; then
 * each input pixel sums, C_in floats at a time, the 0 to ⌈k/s⌉² pieces of C
 * that land on it, in a fixed order (so the same inputs give the same bits).
 * Summing per input pixel writes each of dx's floats once; scattering each
 * row of C into dx instead read, added and wrote dx once per piece (best CPU
 * ms per call, batch 16: 4.7 → 3.5, 2.8 → 2.4, 2.1 → 1.9 for the encoder's
 * input gradients, 2.7 → 2.5 for the decoder's first layer).
 *
 * Every multiply-add is useful, where the phase-stacked convolution
 * (conv2d-backprop-input.ts) multiplies zeros: 16/9 of the useful work for a
 * stride-2 3×3 filter (its phases have 4, 2, 2 and 1 taps in one 2×2 window)
 * and, for a 4×4 filter over a small image, the phases' extra row and column
 * (25/16 on a 4×4 image). The price is the sum: K floats per output pixel,
 * added in JavaScript.
 */
export function col2imInputGrad(ops: WasmOps, dy: TensorInfo, filter: TensorInfo, inputShape: [number, number, number, number], info: backend_util.Conv2DInfo): TensorInfo {
  const [batch, inH, inW, cin] = inputShape;
  const [kh, kw, , cout] = filter.shape as [number, number, number, number];
  const { outHeight: outH, outWidth: outW, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const taps = kh * kw * cin;
  const pixels = batch * outH * outW;
  // The filter [k_h, k_w, C_in, C_out] is the [K, C_out] matrix; its transpose is the product's (small) right operand.
  const filterT = ops.transposeLast2(filter, 1, taps, cout);
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [pixels, cout], dtype: 'float32' };
  const columns = ops.matMul(dyMatrix, filterT);
  ops.release(filterT);
  const out = ops.allocate(inputShape);
  const src = ops.view(columns);
  const dst = ops.view(out);
  const alongH = windowsCovering(inH, outH, kh, sh, top);
  const alongW = windowsCovering(inW, outW, kw, sw, left);
  const offsets = new Int32Array(alongH.most * alongW.most);
  let d = 0;
  for (let b = 0; b < batch; b++) {
    for (let iy = 0; iy < inH; iy++) {
      for (let ix = 0; ix < inW; ix++, d += cin) {
        // Rows of C (and the tap's place in them) that land on input pixel (iy, ix), in a fixed order.
        let m = 0;
        for (let i = alongH.start[iy]!; i < alongH.start[iy + 1]!; i++) {
          const rowBase = (b * outH + alongH.output[i]!) * outW;
          for (let j = alongW.start[ix]!; j < alongW.start[ix + 1]!; j++) {
            offsets[m++] = (rowBase + alongW.output[j]!) * taps + (alongH.tap[i]! * kw + alongW.tap[j]!) * cin;
          }
        }
        sumRows(src, offsets, m, dst, d, cin);
      }
    }
  }
  ops.release(columns);
  return out;
}

/** Along one axis, for every input position i: the output positions o and taps t with o·s + t − p = i (CSR lists). */
function windowsCovering(inSize: number, outSize: number, kernel: number, stride: number, pad: number): { start: Int32Array; output: Int32Array; tap: Int32Array; most: number } {
  const start = new Int32Array(inSize + 1);
  const output: number[] = [];
  const tap: number[] = [];
  let most = 0;
  for (let i = 0; i < inSize; i++) {
    start[i] = output.length;
    for (let t = 0; t < kernel; t++) {
      const o = (i + pad - t) / stride;
      if (Number.isInteger(o) && o >= 0 && o < outSize) {
        output.push(o);
        tap.push(t);
      }
    }
    most = Math.max(most, output.length - start[i]!);
  }
  start[inSize] = output.length;
  return { start, output: Int32Array.from(output), tap: Int32Array.from(tap), most };
}

/** dst[d + c] = Σ_k src[offsets[k] + c] for c < n, k < m (k in order), zero when m = 0. */
function sumRows(src: Float32Array, offsets: Int32Array, m: number, dst: Float32Array, d: number, n: number): void {
  if (m === 0) {
    dst.fill(0, d, d + n);
    return;
  }
  const o0 = offsets[0]!;
  if (m === 1) {
    for (let c = 0; c < n; c++) dst[d + c] = src[o0 + c]!;
    return;
  }
  const o1 = offsets[1]!;
  if (m === 2) {
    for (let c = 0; c < n; c++) dst[d + c] = src[o0 + c]! + src[o1 + c]!;
    return;
  }
  for (let c = 0; c < n; c++) {
    let sum = src[o0 + c]! + src[o1 + c]!;
    for (let k = 2; k < m; k++) sum += src[offsets[k]! + c]!;
    dst[d + c] = sum;
  }
}
