import type { Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../tf-type';

/** SimCLR's temperature for NT-Xent (Chen et al. 2020 use 0.1–0.5; 0.5 at small batches). */
export const NT_XENT_TEMPERATURE = 0.5;

/**
 * NT-Xent, SimCLR's loss (Chen et al., ICML 2020): `a` and `b` are the
 * embeddings of two augmented views of the same N images (row i of each is
 * one pair). Every row is L2-normalised; for each of the 2N views the loss is
 * the cross-entropy of finding its partner among the other 2N − 1 views by
 * cosine similarity over `temperature`; the result is the mean over all 2N.
 * Differentiable: use it inside tf.variableGrads.
 */
export function ntXentLoss(tf: Tf, a: Tensor2D, b: Tensor2D, temperature: number = NT_XENT_TEMPERATURE): ReturnType<Tf['scalar']> {
  return tf.tidy(() => {
    const n = a.shape[0];
    const z = tf.concat([a, b], 0);
    const unit = tf.div(z, tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12));
    const similarity = tf.div(tf.matMul(unit, unit, false, true), temperature);
    // A view is never its own candidate: its diagonal entry drops out of the softmax.
    const logits = tf.sub(similarity, tf.mul(tf.eye(2 * n), 1e9));
    const partner = tf.tensor1d(Array.from({ length: 2 * n }, (_, i) => (i < n ? i + n : i - n)), 'int32');
    const positive = tf.sum(tf.mul(logits, tf.oneHot(partner, 2 * n)), 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), positive)) as ReturnType<Tf['scalar']>;
  });
}
