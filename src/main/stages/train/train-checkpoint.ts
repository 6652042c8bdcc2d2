import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { EpochRecord } from '../../../shared/domain';
import type { Db } from '../../store/database';
import { saveCheckpoint, type CheckpointState, type TrainSettings } from '../../store/model-store';
import type { FlatAdam } from './flat-adam';
import type { Tf } from './tf-backend';
import { decodeWeights, encodeWeights } from './weights-codec';

/** A new run's state, before its first epoch. */
export function firstState(sampleIds: CheckpointState['sampleIds']): CheckpointState {
  return { epoch: 0, history: [], bestEpoch: 0, bestValLoss: Infinity, epochsWithoutImprovement: 0, manifest: [], sampleIds };
}

/** Early stopping: the validation loss has not improved for `patience` epochs. */
export function outOfPatience(state: CheckpointState, settings: Pick<TrainSettings, 'patience'>): boolean {
  return state.epochsWithoutImprovement >= settings.patience;
}

/** The state after an epoch (its weights not yet written): its record added, the best epoch and the count early stopping reads moved on. */
export function stateAfterEpoch(
  state: CheckpointState,
  record: EpochRecord,
  sampleIds: CheckpointState['sampleIds'],
): { next: Omit<CheckpointState, 'manifest'>; improved: boolean } {
  const improved = record.valLoss < state.bestValLoss;
  const next: Omit<CheckpointState, 'manifest'> = {
    sampleIds,
    epoch: record.epoch,
    history: [...state.history, record],
    bestEpoch: improved ? record.epoch : state.bestEpoch,
    bestValLoss: improved ? record.valLoss : state.bestValLoss,
    epochsWithoutImprovement: improved ? 0 : state.epochsWithoutImprovement + 1,
  };
  return { next, improved };
}

/** Puts a checkpoint's model and optimizer weights back; returns its best epoch's weights. */
export function restoreCheckpoint(tf: Tf, variables: Variable[], adam: FlatAdam, state: CheckpointState, weights: Buffer, modelId: number): Tensor[] {
  const restored = decodeWeights(tf, state.manifest, weights, `checkpoint of model ${modelId}`);
  restored.get('model')!.forEach((t, i) => variables[i]!.assign(t));
  adam.restore(restored.get('optimizer')!);
  tf.dispose([...restored.get('model')!, ...restored.get('optimizer')!]);
  return restored.get('best')!;
}

/** Saves an epoch's checkpoint (the model, the best epoch's and the optimizer's weights); returns its manifest. */
export function writeCheckpoint(tf: Tf, db: Db, modelId: number, adam: FlatAdam, variables: Variable[], best: Tensor[], next: Omit<CheckpointState, 'manifest'>): CheckpointState['manifest'] {
  const optimizerWeights = adam.checkpoint(tf, variables);
  const encoded = encodeWeights([
    { name: 'model', tensors: variables },
    { name: 'best', tensors: best },
    { name: 'optimizer', tensors: optimizerWeights },
  ]);
  tf.dispose(optimizerWeights);
  saveCheckpoint(db, modelId, { ...next, manifest: encoded.manifest }, encoded.blob);
  return encoded.manifest;
}
