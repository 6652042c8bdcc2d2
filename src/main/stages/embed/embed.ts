import { availableParallelism } from 'node:os';
import type { EmbedResult, JobProgress } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import type { Db } from '../../store/database';
import { saveEmbeddings } from '../../store/embedding-store';
import { latestReadyModel, readModelWeights, type TrainSettings } from '../../store/model-store';
import { countActiveSamples } from '../../store/samples';
import { setCurrentModelId } from '../../store/settings';
import { buildTrainee } from '../train/build-trainee';
import { loadTf, type Tf } from '../train/tf-backend';
import type { Trainee } from '../train/trainee';
import { decodeWeights } from '../train/weights-codec';
import { EmbedWorker } from './embed-worker';
import { EMBED_BATCH, encodeChunks, type EncodeStats } from './encode-chunks';
import { activePixelChunks, embedChunkImages } from './pixel-chunks';

export interface EmbedOptions {
  /** The model to embed with; default the newest trained autoencoder. */
  modelId?: number;
  /** Images decoded and held per chunk; default EMBED_CHUNK_BYTES' worth at the model's input size (tests set a few). */
  chunkImages?: number;
}

export interface EmbedHooks {
  onProgress?(progress: JobProgress): void;
  isCancelled?(): boolean;
  /** How the encoding went (threads, chunks, the most images held at once). */
  onStats?(stats: EncodeStats): void;
}

/** Rebuilds a trained model of either encoder kind from the project file (the stored record says which). */
export function loadEncoderModel(tf: Tf, db: Db, modelId: number): { model: Trainee; settings: TrainSettings } {
  const stored = readModelWeights(db, modelId);
  const model = buildTrainee(tf, stored.encoder, stored.settings);
  const weights = decodeWeights(tf, stored.manifest, stored.weights, `model ${modelId}`).get('model');
  const { variables } = model;
  if (!weights || weights.length !== variables.length || weights.some((t, i) => t.size !== variables[i]!.size)) {
    if (weights) tf.dispose(weights);
    model.dispose();
    throw new FarpointError(`model ${modelId}: stored weights do not fit the ${stored.encoder} architecture`, 500);
  }
  weights.forEach((t, i) => variables[i]!.assign(t));
  tf.dispose(weights);
  return { model, settings: stored.settings };
}

/**
 * Embeds every active sample with one model, in batches, committing each
 * batch's float32 vectors; then makes that model the project's current one.
 * The pool is read and decoded a bounded chunk at a time (encodeChunks holds
 * at most two), so memory does not grow with the number of samples.
 * Safe to cancel or kill: committed vectors stay, and a rerun rewrites them.
 */
export async function embedSamples(db: Db, options: EmbedOptions = {}, hooks: EmbedHooks = {}): Promise<EmbedResult> {
  const modelId = options.modelId ?? latestReadyModel(db);
  if (modelId === null) throw new FarpointError('the project has no trained autoencoder yet: run training first', 409);
  const runtime = await loadTf();
  const { tf } = runtime;
  const { model: ae, settings } = loadEncoderModel(tf, db, modelId);
  const expected = countActiveSamples(db);
  const threads = embedThreads(runtime.backend, expected);
  // The second thread starts now, so its tfjs is loaded by the time the first chunk's pixels are.
  let early: EmbedWorker | null = threads === 2 ? EmbedWorker.tryStart() : null;
  try {
    const spec = { size: settings.inputSize, channels: settings.channels };
    let embedded = 0;
    const chunks = activePixelChunks(db, spec, {
      chunkImages: options.chunkImages ?? embedChunkImages(spec.size * spec.size * spec.channels, EMBED_BATCH),
      normaliseTone: settings.normaliseTone,
      isCancelled: hooks.isCancelled,
      // Decoding is reported until the first batch is embedded; after that, chunks decode while others embed.
      onDecoded: (before, done) => {
        if (embedded === 0) hooks.onProgress?.({ done: before + done, total: expected, unit: 'images', message: 'decoding images for embedding', extra: { phase: 'decoding', backend: runtime.backend } });
      },
    });
    // Chunks decode while others are encoded: the rate and the ETA are those of the whole pass, decoding included.
    const started = performance.now();
    let seconds = 0;
    const worker = early ?? undefined;
    early = null; // encodeChunks owns it now
    const stats = await encodeChunks(tf, ae, chunks, settings, {
      isCancelled: hooks.isCancelled,
      onBatch: (ids, vectors, done) => {
        saveEmbeddings(db, modelId, ids, vectors, settings.latentDim);
        embedded = done;
        seconds = (performance.now() - started) / 1000;
        const rate = seconds > 0 ? done / seconds : 0;
        // Samples imported or excluded meanwhile can move the count: the total is never below what is done.
        const total = Math.max(expected, done);
        hooks.onProgress?.({
          done,
          total,
          unit: 'images',
          message: `embedding with model ${modelId}`,
          rate,
          etaSeconds: rate > 0 ? (total - done) / rate : undefined,
          extra: { phase: 'embedding', imagesPerSecond: rate, backend: runtime.backend, threads },
        });
      },
    }, { threads, worker });
    hooks.onStats?.(stats);
    setCurrentModelId(db, modelId);
    return {
      modelId,
      backend: runtime.backend,
      count: embedded,
      dimension: settings.latentDim,
      imagesPerSecond: seconds > 0 ? embedded / seconds : 0,
      seconds,
      unreadable: chunks.failures,
    };
  } finally {
    await early?.close();
    ae.dispose();
  }
}

/** Pools at least this large are embedded on two threads (wasm only): below it the second thread's start-up (about half a second) is not repaid. */
export const TWO_THREAD_MIN_IMAGES = 1024;

/**
 * How many threads to embed `count` images with: 2 on the wasm backend (single-threaded in Node) for large pools
 * on a machine with two or more cores, else 1. FARPOINT_EMBED_THREADS=1|2 forces it (2 still needs wasm).
 */
export function embedThreads(backend: string, count: number, env: NodeJS.ProcessEnv = process.env): 1 | 2 {
  if (backend !== 'wasm') return 1;
  const forced = env.FARPOINT_EMBED_THREADS?.trim();
  if (forced === '1') return 1;
  if (forced === '2') return 2;
  return count >= TWO_THREAD_MIN_IMAGES && availableParallelism() >= 2 ? 2 : 1;
}
