import type { LayersModel, Sequential, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { FarpointError } from '../../core/errors';
import type { Tf } from './tf-backend';
import { addStridedConvStack } from './strided-conv-stack';
import type { AutoencoderShape } from '../../store/model-store';

/** Feature maps per encoder stage; the decoder mirrors them. Each stage halves the image with a stride-2 3×3 convolution. */
export const ENCODER_FILTERS = [16, 32, 64, 64] as const;
/** The input size must divide by 2^stages so the decoder can mirror the encoder exactly. */
export const SIZE_MULTIPLE = 2 ** ENCODER_FILTERS.length;
/**
 * Kernel of the decoder's stride-2 transposed convolutions. 4 (not 3) so each
 * output phase gets the same 2×2 taps: no checkerboard artefacts, and on wasm
 * it costs the same as 3 (see wasm-kernels/conv2d-backprop-input.ts).
 */
export const UP_KERNEL = 4;

export interface Autoencoder {
  shape: AutoencoderShape;
  encoder: LayersModel;
  decoder: LayersModel;
  /** Every trainable weight, encoder first, in a fixed order (checkpoints rely on it). */
  weights(): Tensor[];
  /** Image batch [B, S, S, C] in 0..1 → reconstruction, same shape. */
  reconstruct(x: Tensor4D): Tensor4D;
  dispose(): void;
}

export function checkShape(shape: AutoencoderShape): void {
  if (!Number.isInteger(shape.inputSize) || shape.inputSize < SIZE_MULTIPLE || shape.inputSize % SIZE_MULTIPLE !== 0 || shape.inputSize > 256) {
    throw new FarpointError(`input size ${shape.inputSize} is not supported: use a multiple of ${SIZE_MULTIPLE} from ${SIZE_MULTIPLE} to 256 (default 64)`);
  }
  if (shape.channels !== 1 && shape.channels !== 3) throw new FarpointError(`channels must be 1 (gray) or 3 (RGB), got ${String(shape.channels)}`);
  if (!Number.isInteger(shape.latentDim) || shape.latentDim < 2 || shape.latentDim > 512) {
    throw new FarpointError(`latent dimension must be an integer from 2 to 512, got ${shape.latentDim}`);
  }
}

/**
 * The embedding network both encoder kinds share: stride-2 convolutions down
 * to a (S/16)² × 64 map, flattened, then a linear dense layer of `latentDim`
 * (the embedding). `reluInit` and `linearInit` hand out each layer's seeded
 * initialiser in order.
 */
export function buildEncoder(
  tf: Tf,
  shape: AutoencoderShape,
  reluInit: () => ReturnType<Tf['initializers']['heNormal']>,
  linearInit: () => ReturnType<Tf['initializers']['glorotUniform']>,
): Sequential {
  const { inputSize: size, channels, latentDim } = shape;
  const encoder = tf.sequential({ name: 'encoder' });
  addStridedConvStack(tf, encoder, ENCODER_FILTERS, [size, size, channels], reluInit);
  encoder.add(tf.layers.flatten());
  encoder.add(tf.layers.dense({ units: latentDim, kernelInitializer: linearInit() }));
  return encoder;
}

/**
 * A plain convolutional autoencoder: stride-2 convolutions down to a
 * (S/16)² × 64 map, a dense bottleneck of `latentDim` (the embedding), and
 * transposed convolutions back up, ending in a sigmoid (pixels are 0..1).
 * Weights are initialised from `seed`, so the same seed on the same backend
 * gives the same model.
 */
export function buildAutoencoder(tf: Tf, shape: AutoencoderShape, seed: number): Autoencoder {
  checkShape(shape);
  const { inputSize: size, channels, latentDim } = shape;
  let nextSeed = seed * 1000 + 1;
  // He initialisation for the ReLU layers: with Glorot the signal shrinks through the eight ReLU layers and a small pool
  // can sit for many epochs predicting the mean image (every embedding then nearly one point); He keeps the scale, so the
  // loss falls from the first epoch. The linear bottleneck and the sigmoid output keep Glorot.
  const reluInit = () => tf.initializers.heNormal({ seed: nextSeed++ });
  const linearInit = () => tf.initializers.glorotUniform({ seed: nextSeed++ });
  const bottom = size / SIZE_MULTIPLE;
  const lastFilters: number = ENCODER_FILTERS[ENCODER_FILTERS.length - 1]!;

  const encoder = buildEncoder(tf, shape, reluInit, linearInit);

  const decoder = tf.sequential({ name: 'decoder' });
  decoder.add(tf.layers.dense({ inputShape: [latentDim], units: bottom * bottom * lastFilters, activation: 'relu', kernelInitializer: reluInit() }));
  decoder.add(tf.layers.reshape({ targetShape: [bottom, bottom, lastFilters] }));
  const upFilters: number[] = [...ENCODER_FILTERS.slice(0, -1).reverse(), channels];
  upFilters.forEach((filters, i) => {
    decoder.add(
      tf.layers.conv2dTranspose({
        filters,
        kernelSize: UP_KERNEL,
        strides: 2,
        padding: 'same',
        activation: i === upFilters.length - 1 ? 'sigmoid' : 'relu',
        kernelInitializer: i === upFilters.length - 1 ? linearInit() : reluInit(),
      }),
    );
  });

  return {
    shape: { ...shape },
    encoder,
    decoder,
    weights: () => [...encoder.trainableWeights, ...decoder.trainableWeights].map((w) => w.read()),
    reconstruct: (x) => decoder.apply(encoder.apply(x)) as Tensor4D,
    dispose: () => {
      encoder.dispose();
      decoder.dispose();
    },
  };
}
