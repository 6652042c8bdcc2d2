import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../tf-backend';
import { combinedFilterIndex, inputGradAxis, type InputGradAxis } from './conv-geometry';
import { convInfoOf, type ConvAttrs } from './conv-info';
import { WasmOps } from './wasm-ops';

interface Plan {
  h: InputGradAxis;
  w: InputGradAxis;
  index: Int32Array;
  filterShape: number[];
}

/**
 * Conv2DBackpropInput (the input gradient of Conv2D, and the forward pass of
 * Conv2DTranspose) as ONE fast XNNPACK Conv2D: the s² output phases become
 * s²·C_in output channels of a small combined filter, then depth-to-space
 * interleaves them. Replaces the wasm backend's own, much slower kernel.
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

    let full = phased;
    if (h.stride > 1 || w.stride > 1) {
      if (h.stride !== w.stride) {
        ops.release(phased);
        throw new Error(`Conv2DBackpropInput on wasm: unequal strides ${h.stride}×${w.stride} are not supported`);
      }
      full = ops.depthToSpace(phased, h.stride);
      ops.release(phased);
    }
    const [, fullH, fullW] = full.shape as [number, number, number, number];
    if (fullH === inH && fullW === inW) return full;
    const cropped = ops.slice(full, [0, 0, 0, 0], [batch, inH, inW, cin]);
    ops.release(full);
    return cropped;
  };

  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
