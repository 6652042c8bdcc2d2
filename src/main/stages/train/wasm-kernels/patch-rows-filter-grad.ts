import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import { patchProduct } from './patch-product';
import type { WasmOps } from './wasm-ops';

/**
 * dw = Pᵀ · dy for layers with many input channels, like the few-channel
 * im2col path but gathered output pixel by output pixel: for each of the
 * N = B·H_out·W_out pixels its patch (k_h·k_w runs of C_in contiguous floats)
 * is read from x in memory order and written down column n of
 * Pᵀ [k_h·k_w·C_in, N], one float into each of K rows (K write streams stay
 * in the L1 cache). Reading x channel by channel instead (the few-channel
 * loop order) strides over C_in floats and misses the cache on every read.
 * The product with dy: patch-product.ts.
 */
export function patchRowsFilterGrad(ops: WasmOps, x: TensorInfo, dy: TensorInfo, filterShape: [number, number, number, number], info: backend_util.Conv2DInfo): TensorInfo {
  return patchProduct(ops, x, dy, filterShape, info, ({ batch, inH, inW, cin, kh, kw, outH, outW, sh, sw, top, left, columns }, src, dst) => {
    let n = 0;
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, n++) {
          let d = n; // row k of column n sits at k·columns + n
          for (let th = 0; th < kh; th++) {
            const iy = oy * sh + th - top;
            const rowInside = iy >= 0 && iy < inH;
            const rowBase = (b * inH + iy) * inW;
            for (let tw = 0; tw < kw; tw++) {
              const ix = ox * sw + tw - left;
              if (!rowInside || ix < 0 || ix >= inW) {
                for (let c = 0; c < cin; c++, d += columns) dst[d] = 0;
                continue;
              }
              let s = (rowBase + ix) * cin;
              for (let c = 0; c < cin; c++, d += columns) dst[d] = src[s++]!;
            }
          }
        }
      }
    }
  });
}
