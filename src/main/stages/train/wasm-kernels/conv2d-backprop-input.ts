import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../tf-type';
import { combinedFilterIndex, inputGradAxis, type InputGradAxis } from './conv-geometry';
import { convInfoOf, type ConvAttrs } from './conv-info';
import { copyPixel } from './copy-pixel';
import { splitPhaseInputGrad } from './split-phase-input-grad';
import { WasmOps } from './wasm-ops';

interface Plan {
  h: InputGradAxis;
  w: InputGradAxis;
  index: Int32Array;
  filterShape: number[];
}

/**
 * Which way: 'auto' takes one convolution per phase (split-phase-input-grad.ts) for strided layers whose input has at
 * least `minSplitChannels` channels, the phase-stacked convolution otherwise; tests force either. Split is faster for
 * the encoder's input gradients and the decoder's 4×4 layers, but slower for its last layer (1 channel): a
 * convolution with one output channel uses XNNPACK poorly, four of them four times over (measured by
 * `npm run bench -- train-profile`).
 */
export const inputGradOptions: { path: 'auto' | 'stacked' | 'split'; minSplitChannels: number } = { path: 'auto', minSplitChannels: 8 };

/**
 * Conv2DBackpropInput (the input gradient of Conv2D, and the forward pass of
 * Conv2DTranspose) as fast XNNPACK Conv2Ds, replacing the wasm backend's own,
 * much slower kernel: one per output phase (split-phase-input-grad.ts), or,
 * for few channels, ONE where the s² output phases become s²·C_in output
 * channels of a small combined filter, then depth-to-space interleaves them.
 */
export function conv2dBackpropInputConfig(tf: Tf): KernelConfig {
  const plans = new Map<string, Plan>();

  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { dy: TensorInfo; filter: TensorInfo }; attrs: NamedAttrMap; backend: BackendWasm }) => {
    const ops = new WasmOps(tf, backend);
    const { dy, filter } = inputs;
    const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    const [batch, inH, inW, cin] = a.inputShape;
    const [kh, kw, , cout] = filter.shape as [number, number, number, number];
    const info = convInfoOf(tf, a.inputShape, filter.shape as [number, number, number, number], a);
    const key = [inH, inW, cin, cout, kh, kw, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth].join(',');
    let plan = plans.get(key);
    if (!plan) {
      const h = inputGradAxis(inH, info.outHeight, kh, info.strideHeight, info.padInfo.top);
      const w = inputGradAxis(inW, info.outWidth, kw, info.strideWidth, info.padInfo.left);
      plan = { h, w, index: combinedFilterIndex(h, w, kw, cin, cout), filterShape: [h.window, w.window, cout, h.stride * w.stride * cin] };
      plans.set(key, plan);
    }
    const { h, w, index } = plan;
    const strided = h.stride > 1 || w.stride > 1;
    const split = inputGradOptions.path === 'split' || (inputGradOptions.path === 'auto' && strided && cin >= inputGradOptions.minSplitChannels);
    if (split) return splitPhaseInputGrad(ops, dy, filter, a.inputShape, h, w);

    // The combined filter: a gather from the forward filter (small: weights only).
    const combined = ops.allocate(plan.filterShape);
    const src = ops.view(filter);
    const dst = ops.view(combined);
    for (let i = 0; i < index.length; i++) {
      const from = index[i]!;
      dst[i] = from >= 0 ? src[from]! : 0;
    }

    let source = dy;
    const trimmed = h.trimBefore + h.trimAfter + w.trimBefore + w.trimAfter > 0;
    if (trimmed) {
      source = ops.slice(dy, [0, h.trimBefore, w.trimBefore, 0], [batch, info.outHeight - h.trimBefore - h.trimAfter, info.outWidth - w.trimBefore - w.trimAfter, cout]);
    }
    const phased = ops.conv2d(source, combined, [h.padBefore, h.padAfter, w.padBefore, w.padAfter]);
    ops.release(combined);
    if (trimmed) ops.release(source);

    if (h.stride === 1 && w.stride === 1 && h.outRows === inH && w.outRows === inW) return phased;
    const out = interleavePhases(ops, phased, [batch, inH, inW, cin], h, w);
    ops.release(phased);
    return out;
  };

  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * Depth-to-space plus crop, in JavaScript on the wasm heap: phased
 * [B, Rh, Rw, sh·sw·C] → out [B, H, W, C] with out[b, qh·sh+ah, qw·sw+aw, c] =
 * phased[b, qh + shift_h[ah], qw + shift_w[aw], (ah·sw+aw)·C + c]. The
 * backend's DepthToSpace kernel walks generic strides per element and took
 * over half of a training step.
 */
function interleavePhases(ops: WasmOps, phased: TensorInfo, outShape: [number, number, number, number], h: InputGradAxis, w: InputGradAxis): TensorInfo {
  const [batch, outH, outW, c] = outShape;
  const { stride: sh } = h;
  const { stride: sw } = w;
  const [, rh, rw] = phased.shape as [number, number, number, number];
  const out = ops.allocate(outShape);
  const src = ops.view(phased);
  const dst = ops.view(out);
  const pixelStride = sh * sw * c;
  const rowStride = rw * pixelStride;
  // Source offset of each output column within its row (phase channel block and shift), computed once.
  const columnOffset = new Int32Array(outW);
  for (let x = 0; x < outW; x++) {
    const qx = Math.floor(x / sw);
    const ax = x - qx * sw;
    columnOffset[x] = (qx + w.phases[ax]!.shift) * pixelStride + ax * c;
  }
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < outH; y++) {
      const qy = Math.floor(y / sh);
      const ay = y - qy * sh;
      const srcRow = (b * rh + qy + h.phases[ay]!.shift) * rowStride + ay * sw * c;
      const d = (b * outH + y) * outW * c;
      for (let x = 0; x < outW; x++) copyPixel(src, srcRow + columnOffset[x]!, dst, d + x * c, c);
    }
  }
  return out;
}
