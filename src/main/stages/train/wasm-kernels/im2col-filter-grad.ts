import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import { patchProduct } from './patch-product';
import type { WasmOps } from './wasm-ops';

/**
 * dw = Pᵀ · dy, one XNNPACK product (patch-product.ts), Pᵀ [k_h·k_w·C_in, N]
 * holding every output pixel's patch in column n (N = B·H_out·W_out).
 *
 * For layers with few input channels (patch-rows-filter-grad.ts gathers
 * for many). The gather walks tap by tap, image row by image row, and within
 * a row channel by channel: each channel's pixels go to one run of W_out
 * consecutive floats of its row of Pᵀ, read from one row of x (in the L1
 * cache). Walking each channel over the whole batch instead (the loop before
 * it) re-read x once per channel. It wins on the default autoencoder's
 * 1-channel layers; on 16 channels it ties with the patch rows, on 32 and 64,
 * whose image rows are only 8 and 4 pixels, it loses (measured by
 * `npm run bench -- train-profile`).
 */
export function im2colFilterGrad(ops: WasmOps, x: TensorInfo, dy: TensorInfo, filterShape: [number, number, number, number], info: backend_util.Conv2DInfo): TensorInfo {
  return patchProduct(ops, x, dy, filterShape, info, ({ batch, inH, inW, cin, kh, kw, outH, outW, sh, sw, top, left, columns }, src, dst) => {
    const step = sw * cin;
    for (let th = 0; th < kh; th++) {
      for (let tw = 0; tw < kw; tw++) {
        // Output columns whose input column ox·sw + tw − left lies inside x; the others get zeros.
        const oxLo = Math.min(outW, Math.max(0, Math.ceil((left - tw) / sw)));
        const oxHi = Math.max(oxLo, Math.min(outW, Math.floor((inW - 1 + left - tw) / sw) + 1));
        const firstRow = (th * kw + tw) * cin * columns;
        let n = 0;
        for (let b = 0; b < batch; b++) {
          for (let oy = 0; oy < outH; oy++, n += outW) {
            const iy = oy * sh + th - top;
            const inside = iy >= 0 && iy < inH;
            const rowStart = ((b * inH + iy) * inW + oxLo * sw + tw - left) * cin;
            for (let c = 0; c < cin; c++) {
              const d = firstRow + c * columns + n;
              if (!inside) {
                dst.fill(0, d, d + outW);
                continue;
              }
              if (oxLo > 0) dst.fill(0, d, d + oxLo);
              let s = rowStart + c;
              for (let o = d + oxLo, end = d + oxHi; o < end; o++, s += step) dst[o] = src[s]!;
              if (oxHi < outW) dst.fill(0, d + oxHi, d + outW);
            }
          }
        }
      }
    }
  });
}
