import type { Tf } from '../tf-backend';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';

/**
 * Kernels the autoencoder's gradients need on wasm: Conv2DBackpropFilter is
 * missing there, and the shipped Conv2DBackpropInput (also the forward pass
 * of a transposed convolution) is slow. Both become XNNPACK convolutions.
 */
export function wasmTrainingKernels(tf: Tf) {
  return [conv2dBackpropFilterConfig(tf), conv2dBackpropInputConfig(tf)];
}

export function registerWasmTrainingKernels(tf: Tf): void {
  for (const config of wasmTrainingKernels(tf)) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
