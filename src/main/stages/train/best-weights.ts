import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from './tf-backend';

/** Copies of the best epoch's weights so far, which the model gets back when training ends. */
export class BestWeights {
  private readonly tf: Tf;
  private readonly variables: Variable[];
  private kept: Tensor[];

  /** Starts with the model's initial weights. */
  constructor(tf: Tf, variables: Variable[]) {
    this.tf = tf;
    this.variables = variables;
    this.kept = variables.map((v) => tf.clone(v));
  }

  get tensors(): Tensor[] {
    return this.kept;
  }

  /** The model's current weights are the best so far. */
  keepCurrent(): void {
    this.tf.dispose(this.kept);
    this.kept = this.variables.map((v) => this.tf.clone(v));
  }

  /** Takes over these tensors (a checkpoint's best weights). */
  replace(tensors: Tensor[]): void {
    this.tf.dispose(this.kept);
    this.kept = tensors;
  }

  /** Puts the kept weights back into the model. */
  restore(): void {
    this.kept.forEach((t, i) => this.variables[i]!.assign(t));
  }

  dispose(): void {
    this.tf.dispose(this.kept);
  }
}
