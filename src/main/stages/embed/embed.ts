import { availableParallelism } from 'node:os';
import type { EmbedResult, JobProgress } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { JobCancelled } from '../../core/job-types';
import type { Db } from '../../store/database';
import { countActiveSamples } from '../../store/samples';
import { setCurrentModelId } from '../../store/settings';
import type { LayersModel } from '@tensorflow/tfjs';
import { batchTensor } from '../train/batches';
import { buildTrainee } from '../train/build-trainee';
import type { Trainee } from '../train/trainee';
import { EmbedWorker, modelArtifacts } from './embed-worker';
import { saveEmbeddings } from '../../store/embedding-store';
import { latestReadyModel, readModelWeights, type TrainSettings } from '../../store/model-store';
import { loadPixels, type PixelSet } from '../train/pixels';
import { stretchPixelSet } from '../train/tone-stretch';
import { loadTf, type Tf } from '../train/tf-backend';
import { decodeWeights } from '../train/weights-codec';

export interface EmbedOptions {
  /** The model to embed with; default the newest trained autoencoder. */
  modelId?: number;
}

export interface EmbedHooks {
  onProgress?(progress: JobProgress): void;
  isCancelled?(): boolean;
}


/** Images per inference batch: big enough that per-call overhead vanishes, small enough to stay in cache-friendly memory. */
export const EMBED_BATCH = 256;

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
 * Safe to cancel or kill: committed vectors stay, and a rerun rewrites them.
 */
export async function embedSamples(db: Db, options: EmbedOptions = {}, hooks: EmbedHooks = {}): Promise<EmbedResult> {
  const modelId = options.modelId ?? latestReadyModel(db);
  if (modelId === null) throw new FarpointError('the project has no trained autoencoder yet: run training first', 409);
  const runtime = await loadTf();
  const { tf } = runtime;
  const { model: ae, settings } = loadEncoderModel(tf, db, modelId);
  // A second thread for large pools starts now, so its tfjs is loaded by the time the pixels are.
  const expected = countActiveSamples(db);
  let early: EmbedWorker | null = embedThreads(runtime.backend, expected) === 2 ? EmbedWorker.tryStart() : null;
  try {
    const loaded = await loadPixels(db, { size: settings.inputSize, channels: settings.channels }, {
      isCancelled: hooks.isCancelled,
      onProgress: (done, total) => hooks.onProgress?.({ done, total, unit: 'images', message: 'decoding images for embedding', extra: { phase: 'decoding', backend: runtime.backend } }),
    });
    const { set } = loaded;
    // What training applied to every image before the network, embedding applies too (the worker reads these bytes).
    if (settings.normaliseTone) stretchPixelSet(set);
    const started = performance.now();
    let computeSeconds = 0;
    const threads = embedThreads(runtime.backend, set.ids.length);
    const worker = early ?? undefined;
    early = null; // encodeAll owns it now
    await encodeAll(tf, ae, set, settings, {
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
          extra: { phase: 'embedding', imagesPerSecond: rate, backend: runtime.backend, threads },
        });
      },
    }, { threads, worker });
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

export interface EncodeStats {
  threads: 1 | 2;
  /** Images the second thread encoded. */
  workerImages: number;
  /** CPU seconds of the second thread (its own clock); 0 with one thread. */
  workerCpuSeconds: number;
}

/**
 * Runs the encoder over a pixel set in batches (EMBED_BATCH rows by default); throws
 * JobCancelled between batches when asked to stop. With `threads: 2`
 * a worker thread with its own wasm instance takes batches from the same
 * queue while this thread computes the rest; batches may finish out of
 * order (`onBatch` gets each batch's ids with its vectors, and the running
 * count). If the worker cannot start or fails, its batches are done here:
 * the result never depends on the second thread.
 */
export async function encodeAll(
  tf: Tf,
  ae: { encoder: LayersModel },
  set: PixelSet,
  settings: Pick<TrainSettings, 'inputSize' | 'channels'>,
  hooks: { onBatch(ids: Int32Array, vectors: Float32Array, done: number): void; isCancelled?(): boolean },
  options: {
    threads?: 1 | 2;
    batch?: number;
    /** Start encoding only once the worker is up (tests: makes sure it takes part). */
    waitForWorker?: boolean;
    /** A worker started earlier (its tfjs loads meanwhile); encodeAll takes it over and closes it. */
    worker?: EmbedWorker;
  } = {},
): Promise<EncodeStats> {
  const batch = options.batch ?? EMBED_BATCH;
  const n = set.ids.length;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const todo: [number, number][] = [];
  for (let start = 0; start < n; start += batch) todo.push([start, Math.min(n, start + batch)]);
  let done = 0;
  const deliver = (start: number, end: number, vectors: Float32Array) => {
    done += end - start;
    hooks.onBatch(set.ids.subarray(start, end), vectors, done);
  };
  const encodeHere = (start: number, end: number) => {
    const x = batchTensor(tf, set, settings, rows, start, end);
    // apply, not predict: predict cuts the batch into slices of 32 and concatenates them again, a large share of the
    // CPU time at big batches (measured by `npm run bench -- embed`).
    const z = tf.tidy(() => ae.encoder.apply(x) as import('@tensorflow/tfjs').Tensor);
    const vectors = z.dataSync() as Float32Array;
    tf.dispose([x, z]);
    deliver(start, end, vectors);
  };
  const stats: EncodeStats = { threads: options.threads === 2 && todo.length > 1 ? 2 : 1, workerImages: 0, workerCpuSeconds: 0 };
  const worker = stats.threads === 2 ? (options.worker ?? EmbedWorker.tryStart()) : null;
  if (!worker) stats.threads = 1;

  if (!worker || stats.threads === 1) {
    await options.worker?.close();
    for (const [start, end] of todo) {
      if (hooks.isCancelled?.()) throw new JobCancelled();
      encodeHere(start, end);
    }
    return stats;
  }

  let workerUp = false;
  let workerFailed = false;
  let cancelled = false;
  const inFlight = new Set<Promise<void>>();
  // Keep two batches queued on the worker so it never waits for this thread to hand out work, but only one near
  // the end, so this thread is not left idle while the worker still holds a batch it has not begun.
  const feed = () => {
    while (workerUp && !workerFailed && !cancelled && worker.queued < (todo.length > 3 ? 2 : 1) && todo.length > 0) {
      const [start, end] = todo.pop()!; // the worker takes from the back, this thread from the front
      const job = worker.encode(start, end).then(
        ({ vectors }) => {
          if (cancelled) return;
          stats.workerImages += end - start;
          deliver(start, end, vectors);
          feed();
        },
        () => {
          workerFailed = true;
          todo.push([start, end]);
        },
      );
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    }
  };
  const starting = modelArtifacts(tf, ae.encoder)
    .then((artifacts) => worker.start(artifacts, set.pixels, set.bytesPerImage, [settings.inputSize, settings.inputSize, settings.channels]))
    .then(
      () => {
        workerUp = true;
        feed();
      },
      () => {
        workerFailed = true;
      },
    );
  try {
    if (options.waitForWorker) await starting;
    for (;;) {
      if (hooks.isCancelled?.()) {
        cancelled = true;
        throw new JobCancelled();
      }
      const next = todo.shift();
      if (next) {
        encodeHere(next[0], next[1]);
        // Let the worker's answers and the next hand-out run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    stats.workerCpuSeconds = worker.cpuSeconds;
    if (stats.workerImages === 0) stats.threads = 1;
    return stats;
  } finally {
    cancelled = true;
    await worker.close();
    await starting;
  }
}
