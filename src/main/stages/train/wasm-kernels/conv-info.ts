import type { backend_util } from '@tensorflow/tfjs';
import type { Tf } from '../tf-type';

/** The attributes TensorFlow.js passes to its convolution gradient kernels. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** TensorFlow's own geometry (output size, SAME padding split) for a forward convolution; NHWC only. */
export function convInfoOf(tf: Tf, xShape: [number, number, number, number], filterShape: [number, number, number, number], attrs: ConvAttrs): backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error('convolution gradients on wasm support NHWC (channels last) only');
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}
