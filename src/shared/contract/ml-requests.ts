import { z } from 'zod';
import { request } from './define';
import { empty, modelId, seed } from './schemas';
import { encoderKinds } from '../encoder-kinds';
import type { AutoencoderInfo, BackendInfo, JobInfo, LatentMap, LatentMapPage } from '../domain';

/**
 * A training run's settings, validated wherever they cross a boundary (the
 * UI's request and the job's parameters on the compute side). Omitted values
 * come from the project settings (input size, channels, latent dimension,
 * seed) or the defaults (the autoencoder, 20 epochs, batch 32, patience 3,
 * at most 20,000 training images, no tone normalisation).
 */
/** Epochs a training run may take at most unless it says otherwise (it stops earlier when validation stops improving). */
export const DEFAULT_TRAINING_EPOCHS = 20;

/**
 * Active samples a training run decodes and trains on at most; above it, a seeded random sample of that many (embedding
 * still covers every sample). Why 20,000: its inputs are 80 MB at 64×64 gray (240 MB in colour) where a million
 * images would be 4 GB to 12 GB, and 20 epochs over it are already some 11,000 steps of batch 32 for an encoder of
 * about a hundred thousand weights: more images of the same kind add little to what it learns, only time and memory.
 */
export const DEFAULT_MAX_TRAINING_IMAGES = 20_000;
export const MAX_TRAINING_IMAGES_RANGE = { min: 2, max: 10_000_000 } as const;

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
    /** Train on a seeded random sample of this many active samples when the pool is larger (default DEFAULT_MAX_TRAINING_IMAGES). */
    maxTrainingImages: z.number().int().min(MAX_TRAINING_IMAGES_RANGE.min).max(MAX_TRAINING_IMAGES_RANGE.max).optional(),
    /** Stretch each image's tone to the full range before it enters the network, in training and embedding (default false). */
    normaliseTone: z.boolean().optional(),
    /** Start a new model even if an interrupted run with the same settings could resume. */
    fresh: z.boolean().optional(),
    /** Embed every active sample with the new model when training ends, and make it current (default true). */
    embed: z.boolean().default(true),
  })
  .strict();

/** Parts a paged map load may be cut into at most: a thousand requests are already more than any map needs. */
export const MAX_MAP_PARTS = 1024;

/** One part of the latent map: rows part, part + parts, part + 2·parts, … (so every part is an even sample of the whole map). */
export const latentMapPageArgs = z
  .object({
    part: z.number().int().min(0).max(MAX_MAP_PARTS - 1),
    parts: z.number().int().min(1).max(MAX_MAP_PARTS),
  })
  .strict()
  .refine((a) => a.part < a.parts, { message: 'part must be below parts (parts are numbered from 0)', path: ['part'] });

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
  getLatentMapPage: request(
    latentMapPageArgs,
    "One part of the latent map (rows part, part + parts, …: each part an even sample of it), with the whole map's row count, extent and version, so a view draws the first part at once and the rest as it arrives. Binary where the transport allows; state 'computing' while its job runs.",
  ).returnsBinary<LatentMapPage>(),
  getBackendInfo: request(empty, 'The TensorFlow.js backend training runs on, and why.').returns<BackendInfo>(),
};
