import type { LayersModel, Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { buildEncoder, checkShape } from '../autoencoder';
import type { AutoencoderShape } from '../../../store/model-store';
import type { Tf } from '../tf-backend';

/** Width of the projection head's hidden layer and of its output, where NT-Xent compares views. */
export const PROJECTION_HIDDEN = 128;
export const PROJECTION_DIM = 64;

export interface ContrastiveModel {
  /** The autoencoder's encoder architecture: its output is the embedding. */
  encoder: LayersModel;
  /** SimCLR's projection head: the loss is taken after it, so the embedding before it keeps what the views differ in. */
  head: LayersModel;
  /** Image batch [B, S, S, C] in 0..1 → projections [B, PROJECTION_DIM]. */
  project(x: Tensor4D): Tensor2D;
  dispose(): void;
}

/**
 * The contrastive encoder: the autoencoder's encoder (same layers, same
 * embedding cost) and a two-layer projection head (Chen et al. 2020: the
 * representation before the head serves downstream tasks better than the
 * head's output, which the loss makes invariant to the augmentations).
 * Initialised from `seed` like the autoencoder.
 */
export function buildContrastive(tf: Tf, shape: AutoencoderShape, seed: number): ContrastiveModel {
  checkShape(shape);
  let nextSeed = seed * 1000 + 1;
  const reluInit = () => tf.initializers.heNormal({ seed: nextSeed++ });
  const linearInit = () => tf.initializers.glorotUniform({ seed: nextSeed++ });
  const encoder = buildEncoder(tf, shape, reluInit, linearInit);
  const head = tf.sequential({ name: 'projection' });
  head.add(tf.layers.dense({ inputShape: [shape.latentDim], units: PROJECTION_HIDDEN, activation: 'relu', kernelInitializer: reluInit() }));
  head.add(tf.layers.dense({ units: PROJECTION_DIM, kernelInitializer: linearInit() }));
  return {
    encoder,
    head,
    project: (x) => head.apply(encoder.apply(x)) as Tensor2D,
    dispose: () => {
      encoder.dispose();
      head.dispose();
    },
  };
}
