import type { EncoderKind } from '../../../shared/domain';
import type { AutoencoderShape } from '../../store/model-store';
import { autoencoderTrainee } from './autoencoder-trainee';
import { contrastiveTrainee } from './contrastive/contrastive-trainee';
import type { Tf } from './tf-backend';
import type { Trainee } from './trainee';

/** The model of one encoder kind, initialised from the settings' seed (the same on both training threads). */
export function buildTrainee(tf: Tf, kind: EncoderKind, settings: AutoencoderShape & { seed: number; normaliseTone?: boolean }): Trainee {
  return kind === 'contrastive' ? contrastiveTrainee(tf, settings) : autoencoderTrainee(tf, settings);
}
