import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { WasmOps } from './wasm-ops';

/** The sizes a patch gather indexes with: x [batch, inH, inW, cin], the k_h × k_w filter, the output grid, strides and padding, and N. */
export interface PatchGeometry {
  batch: number;
  inH: number;
  inW: number;
  cin: number;
  kh: number;
  kw: number;
  outH: number;
  outW: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
  /** N = batch · outH · outW: the columns of Pᵀ. */
  columns: number;
}

/**
 * dw = Pᵀ · dy for the filter-gradient kernels (im2col-filter-grad.ts and
 * patch-rows-filter-grad.ts differ only in how they gather): allocates
 * Pᵀ [k_h·k_w·C_in, N], lets `gather` fill it from x (column n: output
 * pixel n's patch, zeros where the window leaves x), then one XNNPACK
 * product with dy read as the [N, C_out] matrix it is (BatchMatMul reshapes
 * by reference), whose [K, C_out] result already is the filter layout
 * [k_h, k_w, C_in, C_out]: no transposes. Pᵀ is the product's left operand
 * on purpose: the shipped BatchMatMul repacks its right operand on every
 * call, which costs several times more for a big one.
 */
export function patchProduct(
  ops: WasmOps,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: [number, number, number, number],
  info: backend_util.Conv2DInfo,
  gather: (g: PatchGeometry, src: Float32Array, dst: Float32Array) => void,
): TensorInfo {
  const [batch, inH, inW, cin] = x.shape as [number, number, number, number];
  const [kh, kw, , cout] = filterShape;
  const { outHeight: outH, outWidth: outW, strideHeight: sh, strideWidth: sw } = info;
  const columns = batch * outH * outW;
  const patches = ops.allocate([kh * kw * cin, columns]);
  gather({ batch, inH, inW, cin, kh, kw, outH, outW, sh, sw, top: info.padInfo.top, left: info.padInfo.left, columns }, ops.view(x), ops.view(patches));
  const dyMatrix: TensorInfo = { dataId: dy.dataId, shape: [columns, cout], dtype: 'float32' };
  const grad = ops.matMul(patches, dyMatrix);
  ops.release(patches);
  grad.shape = [...filterShape];
  return grad;
}
