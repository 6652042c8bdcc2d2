import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../tf-backend';
import { convInfoOf, type ConvAttrs } from './conv-info';
import { WasmOps } from './wasm-ops';

/**
 * Conv2DBackpropFilter, missing from the wasm backend, as one fast XNNPACK
 * Conv2D: dw[t, ci, co] = Σ_{b,o} x[b, o·s + t − p, ci] · dy[b, o, co] is a
 * convolution of x with batch and channels swapped ([C_in, H, W, B]) by dy
 * used as the filter ([H_out, W_out, B, C_out]) dilated by the stride; the
 * output [C_in, k_h, k_w, C_out] is transposed to the filter layout.
 */
export function conv2dBackpropFilterConfig(tf: Tf): KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { x: TensorInfo; dy: TensorInfo }; attrs: NamedAttrMap; backend: BackendWasm }) => {
    const ops = new WasmOps(tf, backend);
    const { x, dy } = inputs;
    const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    const xShape = x.shape as [number, number, number, number];
    const [batch, inH, inW, cin] = xShape;
    const [kh, kw] = a.filterShape;
    const info = convInfoOf(tf, xShape, a.filterShape, a);
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
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
