import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { WasmOps } from './wasm-ops';

/**
 * The input gradient dx[b, o·s + t − p, ci] += Σ_co dy[b, o, co] · w[t, ci, co]
 * as one XNNPACK product and a scatter-add (col2im): C = dy · Wᵀ, with dy
 * [B, H_out, W_out, C_out] read as the [N, C_out] matrix it is and Wᵀ
 * [C_out, k_h·k_w·C_in] the filter transposed (weights only: small), puts in
 * row n of C [N, K] what output pixel n gives each tap of its window; the
 * scatter adds each tap's C_in floats to the input pixel under it, in a
 * fixed order (so the same inputs give the same bits).
 *
 * Every multiply-add is useful, where the phase-stacked convolution
 * (conv2d-backprop-input.ts) multiplies zeros: 16/9 of the useful work for a
 * stride-2 3×3 filter (its phases have 4, 2, 2 and 1 taps in one 2×2 window)
 * and, for a 4×4 filter over a small image, the phases' extra row and column
 * (25/16 on a 4×4 image). The price is the scatter: K floats per output
 * pixel, added in JavaScript.
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
  dst.fill(0);
  let s = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let th = 0; th < kh; th++) {
          const iy = oy * sh + th - top;
          if (iy < 0 || iy >= inH) {
            s += kw * cin;
            continue;
          }
          for (let tw = 0; tw < kw; tw++, s += cin) {
            const ix = ox * sw + tw - left;
            if (ix < 0 || ix >= inW) continue;
            const d = ((b * inH + iy) * inW + ix) * cin;
            for (let c = 0; c < cin; c++) dst[d + c] = dst[d + c]! + src[s + c]!;
          }
        }
      }
    }
  }
  ops.release(columns);
  return out;
}
