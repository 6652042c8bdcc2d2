import type { EmbedResult, JobProgress } from '../../shared/domain';
import { FarpointError } from '../errors';
import type { Db } from '../project/database';
import { setCurrentModelId } from '../project/settings';
import { buildAutoencoder, type Autoencoder } from './autoencoder';
import { batchTensor } from './batches';
import { saveEmbeddings } from './embedding-store';
import { latestReadyModel, readModelWeights, type TrainSettings } from './model-store';
import { loadPixels, PixelLoadCancelled, type PixelSet } from './pixels';
import { loadTf, type Tf } from './tf-backend';
import { decodeWeights } from './weights-codec';

export interface EmbedOptions {
  /** The model to embed with; default the newest trained autoencoder. */
  modelId?: number;
}

export interface EmbedHooks {
  onProgress?(progress: JobProgress): void;
  isCancelled?(): boolean;
}

export class EmbeddingCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Images per inference batch: big enough that per-call overhead vanishes, small enough to stay in cache-friendly memory. */
export const EMBED_BATCH = 256;

/** Rebuilds a trained autoencoder from the project file. */
export function loadAutoencoder(tf: Tf, db: Db, modelId: number): { ae: Autoencoder; settings: TrainSettings } {
  const stored = readModelWeights(db, modelId);
  const ae = buildAutoencoder(tf, stored.settings, stored.settings.seed);
  const weights = decodeWeights(tf, stored.manifest, stored.weights, `model ${modelId}`).get('model');
  const variables = [...ae.encoder.trainableWeights, ...ae.decoder.trainableWeights];
  if (!weights || weights.length !== variables.length) {
    ae.dispose();
    throw new FarpointError(`model ${modelId}: stored weights do not fit the autoencoder architecture`, 500);
  }
  weights.forEach((t, i) => variables[i]!.write(t));
  tf.dispose(weights);
  return { ae, settings: stored.settings };
}

/**
 * Embeds every active sample with one model, in batches, committing each
 * batch's float32 vectors; then makes that model the project's current one.
 * Safe to cancel or kill: committed vectors stay, and a rerun rewrites them.
 */
export async function embedSamples(db: Db, options: EmbedOptions = {}, hooks: EmbedHooks = {}): Promise<EmbedResult> {
  const modelId = options.modelId ?? latestReadyModel(db);
  if (modelId === null) throw new FarpointError('the project has no trained autoencoder yet: run training first', 409);
  const runtime = await loadTf();
  const { tf } = runtime;
  const { ae, settings } = loadAutoencoder(tf, db, modelId);
  try {
    let loaded: Awaited<ReturnType<typeof loadPixels>>;
    try {
      loaded = await loadPixels(db, { size: settings.inputSize, channels: settings.channels }, {
        isCancelled: hooks.isCancelled,
        onProgress: (done, total) => hooks.onProgress?.({ done, total, unit: 'images', message: 'decoding images for embedding', extra: { phase: 'decoding', backend: runtime.backend } }),
      });
    } catch (err) {
      if (err instanceof PixelLoadCancelled) throw new EmbeddingCancelled();
      throw err;
    }
    const { set } = loaded;
    const started = performance.now();
    let computeSeconds = 0;
    encodeAll(tf, ae, set, settings, {
      isCancelled: hooks.isCancelled,
      onBatch: (ids, vectors, done) => {
        saveEmbeddings(db, modelId, ids, vectors, settings.latentDim);
        const seconds = (performance.now() - started) / 1000;
        computeSeconds = seconds;
        const rate = done / seconds;
        hooks.onProgress?.({
          done,
          total: set.ids.length,
          unit: 'images',
          message: `embedding with model ${modelId}`,
          rate,
          etaSeconds: (set.ids.length - done) / rate,
          extra: { phase: 'embedding', imagesPerSecond: rate, backend: runtime.backend },
        });
      },
    });
    setCurrentModelId(db, modelId);
    return {
      modelId,
      backend: runtime.backend,
      count: set.ids.length,
      dimension: settings.latentDim,
      imagesPerSecond: computeSeconds > 0 ? set.ids.length / computeSeconds : 0,
      seconds: computeSeconds,
      unreadable: loaded.failures,
    };
  } finally {
    ae.dispose();
  }
}

/** Runs the encoder over a pixel set batch by batch; throws EmbeddingCancelled between batches when asked to stop. */
export function encodeAll(
  tf: Tf,
  ae: Autoencoder,
  set: PixelSet,
  settings: TrainSettings,
  hooks: { onBatch(ids: Int32Array, vectors: Float32Array, done: number): void; isCancelled?(): boolean },
): void {
  const n = set.ids.length;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  for (let start = 0; start < n; start += EMBED_BATCH) {
    if (hooks.isCancelled?.()) throw new EmbeddingCancelled();
    const end = Math.min(n, start + EMBED_BATCH);
    const x = batchTensor(tf, set, settings, rows, start, end);
    const z = ae.encoder.predict(x) as import('@tensorflow/tfjs').Tensor;
    const vectors = z.dataSync() as Float32Array;
    tf.dispose([x, z]);
    hooks.onBatch(set.ids.subarray(start, end), vectors, end);
  }
}
