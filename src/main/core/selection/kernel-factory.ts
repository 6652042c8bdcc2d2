import type { DistanceKernel } from './distance-kernel';
import { createTsKernel } from './ts-kernel';
import { createWasmKernel } from './wasm-kernel';

export type KernelPreference = 'auto' | 'wasm-simd' | 'typescript';

/**
 * A kernel for count × dim vectors: SIMD when available (and when the matrix
 * fits in 4 GiB of WebAssembly memory), else TypeScript. `FARPOINT_FPS_KERNEL`
 * = typescript forces the fallback (for comparison on a user's machine);
 * `FARPOINT_FPS_THREADS` = 1 or 2 forces the full step's threads (default:
 * two for large matrices on two cores or more, see wasm-kernel.ts).
 */
export function createKernel(count: number, dim: number, preference: KernelPreference = 'auto'): DistanceKernel {
  const wanted = preference === 'auto' && process.env.FARPOINT_FPS_KERNEL === 'typescript' ? 'typescript' : preference;
  if (wanted !== 'typescript') {
    const kernel = createWasmKernel(count, dim, stepThreads());
    if (kernel) return kernel;
    if (wanted === 'wasm-simd') throw new Error(`WebAssembly SIMD kernel unavailable for ${count} × ${dim} float32 (no SIMD support, or more than 4 GiB)`);
  }
  return createTsKernel(count, dim);
}

/** A kernel over an existing matrix: the TypeScript one uses it in place, the SIMD one copies it into its memory once. */
export function kernelFor(vectors: Float32Array, dim: number, preference: KernelPreference = 'auto'): DistanceKernel {
  if (!Number.isSafeInteger(dim) || dim < 1) throw new RangeError(`dimension must be a positive integer, got ${dim}`);
  if (vectors.length % dim !== 0) throw new RangeError(`vectors hold ${vectors.length} values, not a multiple of dimension ${dim}`);
  const count = vectors.length / dim;
  const wanted = preference === 'auto' && process.env.FARPOINT_FPS_KERNEL === 'typescript' ? 'typescript' : preference;
  if (wanted !== 'typescript') {
    const kernel = createWasmKernel(count, dim, stepThreads());
    if (kernel) {
      kernel.vectors.set(vectors);
      return kernel;
    }
    if (wanted === 'wasm-simd') throw new Error(`WebAssembly SIMD kernel unavailable for ${count} × ${dim} float32 (no SIMD support, or more than 4 GiB)`);
  }
  return createTsKernel(count, dim, vectors);
}

/** FARPOINT_FPS_THREADS as 1 or 2, undefined when unset; anything else is an error naming the value. */
function stepThreads(): 1 | 2 | undefined {
  const value = process.env.FARPOINT_FPS_THREADS;
  if (value === undefined || value === '') return undefined;
  if (value === '1' || value === '2') return Number(value) as 1 | 2;
  throw new Error(`FARPOINT_FPS_THREADS must be 1 or 2, got ${JSON.stringify(value)}`);
}
