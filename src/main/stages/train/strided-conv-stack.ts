import type { Sequential } from '@tensorflow/tfjs';
import type { Tf } from './tf-backend';

/**
 * Adds one stride-2 3×3 ReLU convolution per entry of `filters`, each halving
 * the image: the down-sampling stack the autoencoder's encoder and the
 * orientation regressor share (stride-2 convolutions rather than pooling,
 * because those are the layers the wasm backend trains fast). `nextInit`
 * hands out each layer's seeded initialiser in order.
 */
export function addStridedConvStack(
  tf: Tf,
  model: Sequential,
  filters: readonly number[],
  inputShape: [number, number, number],
  nextInit: () => ReturnType<Tf['initializers']['heNormal']>,
): void {
  filters.forEach((count, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape } : {}),
        filters: count,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: nextInit(),
      }),
    );
  });
}
