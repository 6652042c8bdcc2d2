import type { KernelFunc } from '@tensorflow/tfjs';
import type { Tf } from '../tf-type';

/**
 * The wasm backend's own kernels that we replace by faster ones for some
 * inputs (BatchMatMul, Sum): captured once, before our registration replaces
 * them, so an override can hand every other case back to the shipped kernel.
 */
const shipped = new Map<string, KernelFunc>();

/** Remembers the shipped kernel `name` unless it already was (a second registration must not capture our own). */
export function captureShippedKernel(tf: Tf, name: string): void {
  if (shipped.has(name)) return;
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel) shipped.set(name, kernel.kernelFunc);
}

export function shippedKernel(name: string): KernelFunc {
  const kernel = shipped.get(name);
  if (!kernel) throw new Error(`the wasm backend's own ${name} kernel was not captured before it was replaced`);
  return kernel;
}
