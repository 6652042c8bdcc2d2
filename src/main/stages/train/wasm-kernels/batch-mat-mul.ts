import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../tf-type';
import { shippedKernel } from './shipped-kernels';
import { WasmOps } from './wasm-ops';

/**
 * BatchMatMul whose transposed operands are transposed first (in JavaScript,
 * see WasmOps.transposeLast2) and then multiplied plainly. The shipped kernel
 * uses XNNPACK only without transposes; with transposeA or transposeB (every
 * dense layer's gradients) it falls back to a naive loop: 7 to 10 times slower
 * than transpose + XNNPACK on the autoencoder's dense layers.
 */
export function batchMatMulConfig(tf: Tf): KernelConfig {
  const kernelFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; attrs: NamedAttrMap; backend: BackendWasm }) => {
    const { inputs, backend } = args;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const shipped = shippedKernel('BatchMatMul');
    if ((!transposeA && !transposeB) || inputs.a.dtype !== 'float32' || inputs.b.dtype !== 'float32') return shipped(args as never);
    const ops = new WasmOps(tf, backend);
    const plain = (t: TensorInfo, transpose: boolean): TensorInfo => {
      if (!transpose) return t;
      const rank = t.shape.length;
      const rows = t.shape[rank - 2]!;
      const cols = t.shape[rank - 1]!;
      const batch = t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
      const out = ops.transposeLast2(t, batch, rows, cols);
      out.shape = [...t.shape.slice(0, -2), cols, rows];
      return out;
    };
    const a = plain(inputs.a, transposeA);
    const b = plain(inputs.b, transposeB);
    try {
      return shipped({ inputs: { a, b }, attrs: { transposeA: false, transposeB: false }, backend } as never);
    } finally {
      if (a !== inputs.a) ops.release(a);
      if (b !== inputs.b) ops.release(b);
    }
  };
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
