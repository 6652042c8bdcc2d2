import type { LayersModel, Scalar, Variable } from '@tensorflow/tfjs';
import type { EncoderKind } from '../../../shared/domain';
import type { PixelSet } from './pixels';

/** The loss of one group of rows, ready for tf.variableGrads; `dispose` frees the inputs it holds. */
export interface GroupLoss {
  loss(): Scalar;
  dispose(): void;
}

/**
 * What the training loop (train.ts, two-thread-step.ts, train-worker.ts)
 * needs of a model, whichever encoder it trains: its weights in a fixed
 * order, the loss of a group of rows, a validation loss and the strip the
 * Train view shows. The batch loss is the row-weighted mean of its groups'
 * losses; a thread computes whole groups only, so both training paths
 * minimise the same function.
 */
export interface Trainee {
  readonly kind: EncoderKind;
  /** The embedding network: [B, S, S, C] in 0..1 → [B, latentDim]. */
  readonly encoder: LayersModel;
  /** Every trainable weight, encoder first, in a fixed order (checkpoints and the threads' flat vectors rely on it). */
  readonly variables: Variable[];
  /**
   * Offsets [from, to) of the groups a batch of `n` rows splits into. A mean over rows needs one group; a loss that
   * compares rows with each other (NT-Xent) uses the two halves the two threads compute, on one thread too.
   */
  groups(n: number): [number, number][];
  /** The mean loss of rows `order[start..end)` of `set` as one group, at optimizer step `step` (it seeds any randomness). */
  groupLoss(set: PixelSet, order: ArrayLike<number>, start: number, end: number, step: number): GroupLoss;
  /** The validation loss over `rows`, the same every epoch for the same weights. */
  validationLoss(set: PixelSet, rows: Int32Array, batchSize: number): number;
  /** The Train view's strip for `rows` (a PNG data: URL, two rows of images). */
  strip(set: PixelSet, rows: Int32Array): Promise<string>;
  dispose(): void;
}

/** Halves of a batch of `n` rows, the first the larger when odd: the two threads' shares (two-thread-step.ts). */
export function batchHalves(n: number): [number, number][] {
  const a = Math.ceil(n / 2);
  return a === n ? [[0, n]] : [[0, a], [a, n]];
}
