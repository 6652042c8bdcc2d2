import type { backend_util, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../tf-type';
import { convInfoOf, type ConvAttrs } from './conv-info';
import { im2colFilterGrad } from './im2col-filter-grad';
import { patchRowsFilterGrad } from './patch-rows-filter-grad';
import { WasmOps } from './wasm-ops';

/**
 * Which way the filter gradient is computed, when its scratch matrix (K × N
 * floats, K = k_h·k_w·C_in, N = B·H_out·W_out) fits `maxIm2colFloats`:
 * im2col with the Pᵀ layout for layers with at most `maxIm2colChannels` input
 * channels; the patch-rows layout (patch-rows-filter-grad.ts) for more, when
 * the filter has at most `maxPatchRowsTaps` taps; the swapped-axes
 * convolution otherwise. On the default autoencoder, im2col wins clearly on
 * 1-channel layers; patch rows and the convolution are close on 3×3 filters
 * over 16 to 64 channels; on 4×4 filters (the decoder's) patch rows lose (its
 * gather writes K rows at once and leaves the L1 cache). Measured by
 * `npm run bench -- train-profile`. Tests change these to force a path.
 */
export const filterGradOptions = { maxIm2colChannels: 4, maxIm2colFloats: 8 * 1024 * 1024, patchRows: true, maxPatchRowsTaps: 9 };

/**
 * Conv2DBackpropFilter, missing from the wasm backend. Exact
 * formulations (a third, for many input channels, is patch-rows-filter-grad.ts) of dw[t, ci, co] = Σ_{b,o} x[b, o·s + t − p, ci] · dy[b, o, co]:
 *
 * - im2col + one matrix product (layers with few input channels, im2col-filter-grad.ts): the
 *   patches are gathered straight into Pᵀ [K, N] in JavaScript, and dw = Pᵀ · dy, with no
 *   transposes; XNNPACK's GEMM runs at full speed whatever C_in is (the
 *   convolution path below is very slow for 1-channel layers, where each
 *   output "image" has only k_h·k_w pixels).
 * - one XNNPACK Conv2D for problems too big for the scratch matrix: a
 *   convolution of x with batch and channels swapped ([C_in, H, W, B]) by dy
 *   used as the filter ([H_out, W_out, B, C_out]) dilated by the stride; the
 *   output [C_in, k_h, k_w, C_out] is transposed to the filter layout.
 */
export function conv2dBackpropFilterConfig(tf: Tf): KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { x: TensorInfo; dy: TensorInfo }; attrs: NamedAttrMap; backend: BackendWasm }) => {
    const ops = new WasmOps(tf, backend);
    const { x, dy } = inputs;
    const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    const xShape = x.shape as [number, number, number, number];
    const info = convInfoOf(tf, xShape, a.filterShape, a);
    const [kh, kw, cin] = a.filterShape;
    const rows = kh * kw * cin;
    const columns = xShape[0] * info.outHeight * info.outWidth;
    if (rows * columns <= filterGradOptions.maxIm2colFloats) {
      if (cin <= filterGradOptions.maxIm2colChannels) return im2colFilterGrad(ops, x, dy, a.filterShape, info);
      if (filterGradOptions.patchRows && kh * kw <= filterGradOptions.maxPatchRowsTaps) return patchRowsFilterGrad(ops, x, dy, a.filterShape, info);
    }
    return convFilterGrad(ops, x, dy, a.filterShape, info);
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

function convFilterGrad(ops: WasmOps, x: TensorInfo, dy: TensorInfo, filterShape: [number, number, number, number], info: backend_util.Conv2DInfo): TensorInfo {
  const [batch, inH, inW, cin] = x.shape as [number, number, number, number];
  const [kh, kw] = filterShape;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const outH = info.outHeight;
  const outW = info.outWidth;
  // Rows of padded x the dilated dy window needs so that the result has exactly k rows.
  const needH = kh + (outH - 1) * sh;
  const needW = kw + (outW - 1) * sw;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = needH - top - inH; // negative: trailing rows of x are never read
  const right = needW - left - inW;

  let xT = ops.transpose(x, [3, 1, 2, 0]);
  if (bottom < 0 || right < 0) {
    const cropped = ops.slice(xT, [0, 0, 0, 0], [cin, inH + Math.min(0, bottom), inW + Math.min(0, right), batch]);
    ops.release(xT);
    xT = cropped;
  }
  const dyT = ops.transpose(dy, [1, 2, 0, 3]);
  const grad = ops.conv2d(xT, dyT, [top, Math.max(0, bottom), left, Math.max(0, right)], [sh, sw]);
  ops.release(xT, dyT);
  const filterGrad = ops.transpose(grad, [1, 2, 0, 3]);
  ops.release(grad);
  return filterGrad;
}
