import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../tf-type';

/**
 * Calls the wasm backend's own kernels directly on TensorInfos, below the
 * engine: no tensor tracking, no tape, no tidy. Whatever a call returns is
 * owned by the caller and must be released with `release` (or returned as the
 * kernel's output). Inputs are never freed here, so the caller's data stays
 * alive: this is how composite kernels avoid the engine's refcount trap.
 */
export class WasmOps {
  constructor(
    private readonly tf: Tf,
    readonly backend: BackendWasm,
  ) {}

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = this.tf.getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`the wasm backend has no ${kernelName} kernel`);
    return kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero padding; negative amounts are not allowed here (crop with slice). */
  pad(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** NHWC stride-1 (optionally dilated) convolution with explicit non-negative padding [top, bottom, left, right]. */
  conv2d(x: TensorInfo, filter: TensorInfo, pads: [number, number, number, number], dilations: [number, number] = [1, 1]): TensorInfo {
    return this.run(
      'Conv2D',
      { x, filter },
      { strides: [1, 1], pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]], dataFormat: 'NHWC', dilations, dimRoundingMode: undefined } as unknown as NamedAttrMap,
    );
  }

  /** [M, K] · [K, N] → [M, N] (XNNPACK GEMM). */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  /**
   * [batch, rows, cols] → [batch, cols, rows] in JavaScript on the heap, in
   * cache-sized tiles. The backend's Transpose kernel walks generic strides
   * per element and is 10 to 30 times slower on these shapes.
   */
  transposeLast2(x: TensorInfo, batch: number, rows: number, cols: number): TensorInfo {
    const out = this.allocate(batch === 1 ? [cols, rows] : [batch, cols, rows]);
    const src = this.view(x);
    const dst = this.view(out);
    const tile = 32;
    for (let b = 0; b < batch; b++) {
      const base = b * rows * cols;
      for (let r0 = 0; r0 < rows; r0 += tile) {
        const r1 = Math.min(rows, r0 + tile);
        for (let c0 = 0; c0 < cols; c0 += tile) {
          const c1 = Math.min(cols, c0 + tile);
          for (let r = r0; r < r1; r++) {
            let s = base + r * cols + c0;
            let d = base + c0 * rows + r;
            for (let c = c0; c < c1; c++) {
              dst[d] = src[s++]!;
              d += rows;
            }
          }
        }
      }
    }
    return out;
  }

  /** A new float32 tensor whose contents the caller fills through `view`. */
  allocate(shape: number[]): TensorInfo {
    return this.backend.makeOutput(shape, 'float32');
  }

  /** A Float32Array over the tensor's wasm memory. Re-fetch after any allocation: the heap may have grown. */
  view(t: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array;
  }

  release(...infos: TensorInfo[]): void {
    for (const info of infos) this.backend.disposeData(info.dataId);
  }
}
