import type { Tf } from '../tf-type';
import { batchMatMulConfig } from './batch-mat-mul';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { castConfig, identityConfig } from './share-data';
import { captureShippedKernel } from './shipped-kernels';
import { sumConfig } from './sum';

/**
 * Kernels the autoencoder's training needs on wasm: Conv2DBackpropFilter is
 * missing there, and the shipped Conv2DBackpropInput (also the forward pass
 * of a transposed convolution) is slow; both become XNNPACK convolutions or
 * products. BatchMatMul with transposed operands (dense-layer gradients) and
 * Sum over all but the last axis (bias gradients) take slow generic paths in
 * the shipped kernels; ours route them to XNNPACK and hand every other case
 * back to the shipped kernel. Identity and same-dtype Cast share their input's
 * data instead of copying it (share-data.ts).
 */
export function wasmTrainingKernels(tf: Tf) {
  return [conv2dBackpropFilterConfig(tf), conv2dBackpropInputConfig(tf), batchMatMulConfig(tf), sumConfig(tf), identityConfig(), castConfig()];
}

export function registerWasmTrainingKernels(tf: Tf): void {
  for (const config of wasmTrainingKernels(tf)) {
    captureShippedKernel(tf, config.kernelName);
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
