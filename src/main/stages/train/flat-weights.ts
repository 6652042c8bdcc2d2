import type { NamedTensorMap, Variable } from '@tensorflow/tfjs';
import type { Tf } from './tf-backend';

/**
 * Copies between a model's variables (or their gradients) and one flat
 * float32 vector holding them all in the variables' order: the layout the
 * optimizer (flat-adam.ts) and the two training threads' shared memory
 * (gradient-exchange.ts) work on.
 */

export function parameterCount(variables: Variable[]): number {
  return variables.reduce((n, v) => n + v.size, 0);
}

/** Every variable's values into `into`. */
export function copyVariablesInto(variables: Variable[], into: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    into.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
}

/** Each variable's gradient (`grads` by variable name, as tf.variableGrads returns it) into `into`. */
export function copyGradientsInto(variables: Variable[], grads: NamedTensorMap, into: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    into.set(grads[v.name]!.dataSync() as Float32Array, offset);
    offset += v.size;
  }
}

/**
 * Every variable takes its values from `from`, as new tensors: a variable's old data may be shared with a clone (the
 * best epoch's weights), and the cpu backend keeps the array it is given, so `from` is copied, never aliased.
 */
export function assignVariablesFrom(tf: Tf, variables: Variable[], from: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    const t = tf.tensor(from.slice(offset, offset + v.size), v.shape, 'float32');
    v.assign(t);
    t.dispose();
    offset += v.size;
  }
}
