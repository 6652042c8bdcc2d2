import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../train/tf-backend';
import { addStridedConvStack } from '../../train/strided-conv-stack';

/** What defines a regressor's shape; stored with every regressor model. */
export interface RegressorShape {
  inputSize: number;
  channels: 1 | 3;
}

/** Feature maps per stage; each stage halves the image with a stride-2 3×3 convolution. */
export const REGRESSOR_FILTERS = [16, 32, 64] as const;
export const REGRESSOR_SIZE_MULTIPLE = 2 ** REGRESSOR_FILTERS.length;

/**
 * A small CNN from an image to a 2-vector read as (cos θ, sin θ), or
 * (cos 2θ, sin 2θ) for axial data: regressing the angle itself would make
 * 359° and 1° look far apart. Stride-2 convolutions rather than pooling,
 * because those are the layers the wasm backend trains fast (ARCHITECTURE.md).
 * Weights are initialised from `seed`, so a repeat with another seed is a
 * different network and the same seed is the same one.
 */
export function buildRegressor(tf: Tf, shape: RegressorShape, seed: number): LayersModel {
  const { inputSize: size, channels } = shape;
  if (!Number.isInteger(size) || size < REGRESSOR_SIZE_MULTIPLE || size % REGRESSOR_SIZE_MULTIPLE !== 0 || size > 256) {
    throw new Error(`regressor input size ${size} is not supported: use a multiple of ${REGRESSOR_SIZE_MULTIPLE} from ${REGRESSOR_SIZE_MULTIPLE} to 256`);
  }
  let nextSeed = seed * 1000 + 7;
  const init = () => tf.initializers.glorotUniform({ seed: nextSeed++ });
  const model = tf.sequential({ name: 'orientation_regressor' });
  addStridedConvStack(tf, model, REGRESSOR_FILTERS, [size, size, channels], init);
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.dense({ units: 2, kernelInitializer: init() }));
  return model;
}
