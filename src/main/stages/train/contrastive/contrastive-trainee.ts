import type { Scalar, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { AutoencoderShape } from '../../../store/model-store';
import type { PixelSet } from '../pixels';
import { reconstructionStrip } from '../recon-strip';
import type { Tf } from '../tf-backend';
import { batchHalves, type GroupLoss, type Trainee } from '../trainee';
import { buildContrastive, type ContrastiveModel } from './contrastive-model';
import { ntXentLoss } from './nt-xent';
import { viewPairs } from './views';

/** The optimizer step whose views validation uses: training steps count from 1, so it never repeats one of theirs. */
const VALIDATION_STEP = 0;

/**
 * The contrastive encoder as a Trainee: each row's two augmented views
 * (orientation kept: augment.ts) go through encoder and head in one batch,
 * and NT-Xent pulls each pair together against the group's other views. The
 * negatives are a group's, and a batch's groups are its two halves whether
 * one thread or two train, so both paths minimise the same loss.
 */
export function contrastiveTrainee(tf: Tf, settings: AutoencoderShape & { seed: number; normaliseTone?: boolean }): Trainee {
  const model = buildContrastive(tf, settings, settings.seed);
  const variables = [...model.encoder.trainableWeights, ...model.head.trainableWeights].map((w) => w.read() as Variable);
  const views = (set: PixelSet, order: ArrayLike<number>, start: number, end: number, step: number) =>
    tf.tensor4d(viewPairs(set, settings, order, start, end, step), [2 * (end - start), settings.inputSize, settings.inputSize, settings.channels]);
  const groupLoss = (set: PixelSet, order: ArrayLike<number>, start: number, end: number, step: number): GroupLoss => {
    const n = end - start;
    const x = views(set, order, start, end, step);
    return {
      loss: () => pairLoss(tf, model, x, n),
      dispose: () => x.dispose(),
    };
  };
  return {
    kind: 'contrastive',
    encoder: model.encoder,
    variables,
    groups: batchHalves,
    groupLoss,
    validationLoss(set, rows, batchSize) {
      // Groups of the training groups' size, the same views every epoch: a curve of the loss the training minimises.
      const size = Math.max(1, Math.ceil(batchSize / 2));
      let sum = 0;
      for (let start = 0; start < rows.length; start += size) {
        const end = Math.min(rows.length, start + size);
        const group = groupLoss(set, rows, start, end, VALIDATION_STEP);
        const loss = tf.tidy(() => group.loss());
        sum += loss.dataSync()[0]! * (end - start);
        loss.dispose();
        group.dispose();
      }
      return sum / rows.length;
    },
    async strip(set, rows) {
      const pairs = viewPairs(set, settings, rows, 0, rows.length, VALIDATION_STEP);
      const half = pairs.length / 2;
      return reconstructionStrip(pairs.subarray(0, half), pairs.subarray(half), rows.length, settings.inputSize, settings.channels);
    },
    dispose: () => model.dispose(),
  };
}

/** NT-Xent of the projections of a [2n, …] batch of views, row i paired with row i + n. */
function pairLoss(tf: Tf, model: ContrastiveModel, x: ReturnType<Tf['tensor4d']>, n: number): Scalar {
  const z = model.project(x);
  const a = tf.slice(z, [0, 0], [n, -1]) as Tensor2D;
  const b = tf.slice(z, [n, 0], [n, -1]) as Tensor2D;
  return ntXentLoss(tf, a, b);
}
