import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { AutoencoderShape } from '../../store/model-store';
import { buildAutoencoder } from './autoencoder';
import { batchTensor } from './batches';
import { reconstructionStrip } from './recon-strip';
import type { Tf } from './tf-backend';
import type { Trainee } from './trainee';

/** The paper's autoencoder as a Trainee: mean squared reconstruction error, no augmentation (orientation must stay visible). */
export function autoencoderTrainee(tf: Tf, settings: AutoencoderShape & { seed: number }): Trainee {
  const ae = buildAutoencoder(tf, settings, settings.seed);
  const variables = ae.weights() as Trainee['variables'];
  return {
    kind: 'autoencoder',
    encoder: ae.encoder,
    variables,
    // The mean over rows: the halves' row-weighted means are the batch mean, so one group serves both paths.
    groups: (n) => [[0, n]],
    groupLoss(set, order, start, end) {
      const x = batchTensor(tf, set, settings, order, start, end);
      return { loss: () => tf.losses.meanSquaredError(x, ae.reconstruct(x)) as Scalar, dispose: () => x.dispose() };
    },
    validationLoss(set, rows) {
      let sum = 0;
      const step = 128;
      for (let start = 0; start < rows.length; start += step) {
        const end = Math.min(rows.length, start + step);
        const x = batchTensor(tf, set, settings, rows, start, end);
        const s = tf.tidy(() => tf.sum(tf.squaredDifference(x, ae.reconstruct(x))) as Tensor);
        sum += s.dataSync()[0]!;
        tf.dispose([x, s]);
      }
      return sum / (rows.length * set.bytesPerImage);
    },
    async strip(set, rows) {
      const originals = batchTensor(tf, set, settings, rows, 0, rows.length);
      const recon = tf.tidy(() => ae.reconstruct(originals));
      const values = recon.dataSync() as Float32Array;
      const source = originals.dataSync() as Float32Array;
      tf.dispose([originals, recon]);
      return reconstructionStrip(source, values, rows.length, settings.inputSize, settings.channels);
    },
    dispose: () => ae.dispose(),
  };
}
