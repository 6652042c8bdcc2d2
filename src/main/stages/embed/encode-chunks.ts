import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { JobCancelled } from '../../core/job-types';
import type { TrainSettings } from '../../store/model-store';
import { batchTensor } from '../train/batches';
import type { PixelSet } from '../train/pixels';
import type { Tf } from '../train/tf-backend';
import { EmbedWorker, modelArtifacts } from './embed-worker';

/** Images per inference batch: big enough that per-call overhead vanishes, small enough to stay in cache-friendly memory. */
export const EMBED_BATCH = 256;

/** Where the pixels come from: one bounded chunk at a time, in order; null after the last. */
export interface PixelChunks {
  /** Never called again before the previous call settled. */
  next(): Promise<PixelSet | null>;
}

/** Chunks loaded and not yet fully encoded, at most: the one being encoded and the next one, decoded meanwhile. */
export const CHUNKS_HELD = 2;

export interface EncodeStats {
  threads: 1 | 2;
  /** Images the second thread encoded. */
  workerImages: number;
  /** CPU seconds of the second thread (its own clock); 0 with one thread. */
  workerCpuSeconds: number;
  /** Chunks encoded. */
  chunks: number;
  /** The most decoded images held at once (every loaded chunk not yet fully encoded): what bounds the pixels' memory. */
  peakImagesHeld: number;
}

export interface EncodeHooks {
  onBatch(ids: Int32Array, vectors: Float32Array, done: number): void;
  isCancelled?(): boolean;
}

export interface EncodeOptions {
  threads?: 1 | 2;
  batch?: number;
  /** Start encoding only once the worker is up (tests: makes sure it takes part). */
  waitForWorker?: boolean;
  /** A worker started earlier (its tfjs loads meanwhile); encoding takes it over and closes it. */
  worker?: EmbedWorker;
}

/** One batch: rows [start, end) of a loaded chunk. */
interface Batch {
  chunk: HeldChunk;
  start: number;
  end: number;
}

interface HeldChunk {
  set: PixelSet;
  /** Rows not yet delivered; the chunk is let go at 0. */
  left: number;
}

/**
 * Runs the encoder over every chunk of `chunks` in batches (EMBED_BATCH rows
 * by default), holding at most CHUNKS_HELD chunks at once: the next chunk is
 * loaded while this one is encoded, and a chunk is let go as soon as its last
 * batch is delivered. Throws JobCancelled between batches when asked to stop.
 * With `threads: 2` a worker thread with its own wasm instance takes batches
 * (each with a copy of its rows) from the same queue while this thread
 * computes the rest; batches may finish out of order (`onBatch` gets each
 * batch's ids with its vectors, and the running count). If the worker cannot
 * start or fails, its batches are done here: the result never depends on the
 * second thread, nor on how the pool is cut into chunks.
 */
export async function encodeChunks(
  tf: Tf,
  ae: { encoder: LayersModel },
  chunks: PixelChunks,
  settings: Pick<TrainSettings, 'inputSize' | 'channels'>,
  hooks: EncodeHooks,
  options: EncodeOptions = {},
): Promise<EncodeStats> {
  const batch = options.batch ?? EMBED_BATCH;
  const stats: EncodeStats = { threads: options.threads === 2 ? 2 : 1, workerImages: 0, workerCpuSeconds: 0, chunks: 0, peakImagesHeld: 0 };
  const todo: Batch[] = [];
  const held = new Set<HeldChunk>();
  let imagesHeld = 0;
  let exhausted = false;
  let loading: Promise<void> | null = null;
  let loadError: unknown = null;
  let done = 0;
  let workerUp = false;
  let workerFailed = false;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const worker = stats.threads === 2 ? (options.worker ?? EmbedWorker.tryStart()) : null;
  if (!worker) {
    stats.threads = 1;
    await options.worker?.close();
  }

  const feed = () => {
    if (!worker) return;
    // Keep two batches queued on the worker so it never waits for this thread to hand out work, but only one near
    // the end, so this thread is not left idle while the worker still holds a batch it has not begun.
    const nearEnd = () => exhausted && todo.length <= 3;
    while (workerUp && !workerFailed && !stopped && worker.queued < (nearEnd() ? 1 : 2) && todo.length > 0) {
      const item = todo.shift()!;
      const { set } = item.chunk;
      const job = worker.encode(set.pixels.subarray(item.start * set.bytesPerImage, item.end * set.bytesPerImage)).then(
        ({ vectors }) => {
          if (stopped) return;
          stats.workerImages += item.end - item.start;
          deliver(item, vectors);
          feed();
        },
        () => {
          workerFailed = true;
          todo.unshift(item);
        },
      );
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    }
  };

  /** Loads the next chunk when fewer than CHUNKS_HELD are held and none is loading. */
  const loadAhead = () => {
    if (loading || exhausted || stopped || held.size >= CHUNKS_HELD) return;
    loading = chunks.next().then(
      (set) => {
        loading = null;
        if (!set) {
          exhausted = true;
          return;
        }
        if (set.ids.length === 0) {
          loadAhead();
          return;
        }
        const chunk: HeldChunk = { set, left: set.ids.length };
        held.add(chunk);
        imagesHeld += set.ids.length;
        stats.peakImagesHeld = Math.max(stats.peakImagesHeld, imagesHeld);
        stats.chunks++;
        for (let start = 0; start < set.ids.length; start += batch) todo.push({ chunk, start, end: Math.min(set.ids.length, start + batch) });
        feed();
        loadAhead();
      },
      (err: unknown) => {
        loading = null;
        loadError = err;
      },
    );
  };

  const deliver = ({ chunk, start, end }: Batch, vectors: Float32Array) => {
    done += end - start;
    chunk.left -= end - start;
    if (chunk.left === 0) {
      held.delete(chunk);
      imagesHeld -= chunk.set.ids.length;
    }
    hooks.onBatch(chunk.set.ids.subarray(start, end), vectors, done);
    loadAhead();
  };

  const encodeHere = (item: Batch) => {
    const { set } = item.chunk;
    const x = batchTensor(tf, set, settings, identityRows(item.end), item.start, item.end);
    // apply, not predict: predict cuts the batch into slices of 32 and concatenates them again, a large share of the
    // CPU time at big batches (measured by `npm run bench -- embed`).
    const z = tf.tidy(() => ae.encoder.apply(x) as Tensor);
    const vectors = z.dataSync() as Float32Array;
    tf.dispose([x, z]);
    deliver(item, vectors);
  };

  const starting = worker
    ? modelArtifacts(tf, ae.encoder)
        .then((artifacts) => worker.start(artifacts, [settings.inputSize, settings.inputSize, settings.channels]))
        .then(
          () => {
            workerUp = true;
            feed();
          },
          () => {
            workerFailed = true;
          },
        )
    : Promise.resolve();
  try {
    loadAhead();
    if (options.waitForWorker) await starting;
    for (;;) {
      if (loadError) throw loadError;
      if (hooks.isCancelled?.()) throw new JobCancelled();
      const next = todo.shift();
      if (next) {
        encodeHere(next);
        // Let the worker's answers, the next hand-out and a chunk's decoding run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (loading) await Promise.race([loading, ...inFlight]);
      else if (inFlight.size > 0) await Promise.race(inFlight);
      else if (exhausted) break;
      else {
        loadAhead();
        if (!loading && !exhausted) throw new Error('embedding: no batch left to encode and no chunk loading');
      }
    }
    if (worker) stats.workerCpuSeconds = worker.cpuSeconds;
    if (stats.workerImages === 0) stats.threads = 1;
    return stats;
  } finally {
    stopped = true;
    await worker?.close();
    await starting;
    // A chunk still loading when encoding stopped (cancelled, failed) is not wanted any more; it settles on its own.
    await (loading as Promise<void> | null)?.catch(() => {});
  }
}

let identity = new Int32Array(0);
/** 0..n-1 (shared): the row order batchTensor reads a chunk's rows in. */
function identityRows(n: number): Int32Array {
  if (identity.length < n) identity = Int32Array.from({ length: Math.max(n, identity.length * 2) }, (_, i) => i);
  return identity;
}

/** Encodes one pixel set already in memory (one chunk): see encodeChunks. */
export function encodeAll(
  tf: Tf,
  ae: { encoder: LayersModel },
  set: PixelSet,
  settings: Pick<TrainSettings, 'inputSize' | 'channels'>,
  hooks: EncodeHooks,
  options: EncodeOptions = {},
): Promise<EncodeStats> {
  let given = false;
  const one: PixelChunks = {
    next: () => {
      const first = !given;
      given = true;
      return Promise.resolve(first ? set : null);
    },
  };
  return encodeChunks(tf, ae, one, settings, hooks, options);
}
