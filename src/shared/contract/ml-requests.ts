import { z } from 'zod';
import { request } from './define';
import { empty, modelId, seed } from './schemas';
import { encoderKinds } from '../encoder-kinds';
import type { AutoencoderInfo, BackendInfo, JobInfo, LatentMap } from '../domain';

/**
 * A training run's settings, validated wherever they cross a boundary (the
 * UI's request and the job's parameters on the compute side). Omitted values
 * come from the project settings (input size, channels, latent dimension,
 * seed) or the defaults (the autoencoder, 20 epochs, batch 32, patience 3).
 */
export const trainingArgs = z
  .object({
    /** Which self-supervised encoder to train (default 'autoencoder'). */
    encoder: z.enum(encoderKinds).optional(),
    epochs: z.number().int().min(1).max(10_000).optional(),
    inputSize: z.number().int().min(16).max(256).refine((n) => n % 16 === 0, 'the input size must be a multiple of 16').optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    latentDim: z.number().int().min(2).max(512).optional(),
    seed: seed.optional(),
    batchSize: z.number().int().min(1).max(1024).optional(),
    patience: z.number().int().min(1).max(1000).optional(),
    /** Start a new model even if an interrupted run with the same settings could resume. */
    fresh: z.boolean().optional(),
    /** Embed every active sample with the new model when training ends, and make it current (default true). */
    embed: z.boolean().default(true),
  })
  .strict();

export const embeddingArgs = z.object({ modelId: modelId.optional() }).strict();

/** Training the autoencoder, embedding, the models and the latent map. */
export const mlRequests = {
  startTraining: request(
    trainingArgs,
    'Train a new encoder (the autoencoder, or the contrastive encoder with `encoder: contrastive`) as a job (resuming an interrupted run with the same settings), then embed every sample with it. Progress extra: TrainProgressExtra.',
  ).returns<JobInfo>(),
  startEmbedding: request(embeddingArgs, 'Embed every active sample with a model (default the newest trained) as a job; that model becomes current.').returns<JobInfo>(),
  listModels: request(empty, 'Encoder models of the project, newest first, with their encoder kind, settings, backend, losses and history.').returns<AutoencoderInfo[]>(),
  useModel: request(z.object({ modelId }).strict(), 'Make a trained, fully embedded model the current one.').returns<AutoencoderInfo>(),
  getLatentMap: request(
    empty,
    "2-D PCA of every embedding of the current model (excluded samples too, with their status) and the explained variance of each component. Binary where the transport allows (typed arrays); state 'computing' while its job runs.",
  ).returnsBinary<LatentMap>(),
  getBackendInfo: request(empty, 'The TensorFlow.js backend training runs on, and why.').returns<BackendInfo>(),
};
