import type { Db } from '../../store/database';
import { activePixelSourcesAfter } from '../../store/pixel-cache';
import { loadPixels, type PixelFailure, type PixelSet, type PixelSpec } from '../train/pixels';
import { stretchPixelSet } from '../train/tone-stretch';
import type { PixelChunks } from './encode-chunks';

/** Bytes of model input a chunk holds: what bounds embedding's memory at any pool size (CHUNKS_HELD chunks at once). */
export const EMBED_CHUNK_BYTES = 16 * 2 ** 20;

/** Images per chunk at this input size: EMBED_CHUNK_BYTES' worth, a whole number of batches, at least one. */
export function embedChunkImages(bytesPerImage: number, batch: number): number {
  return Math.max(1, Math.floor(EMBED_CHUNK_BYTES / bytesPerImage / batch)) * batch;
}

export interface ActiveChunkOptions {
  /** Images per chunk. */
  chunkImages: number;
  /** Contrast-stretch each image as training did (the model's `normaliseTone`). */
  normaliseTone: boolean;
  isCancelled?(): boolean;
  /** Decoding progress within the chunk being loaded, whose first sample is the `before`-th active one. */
  onDecoded?(before: number, done: number, total: number): void;
}

/**
 * The active samples' model inputs a chunk at a time, in id order: each chunk
 * reads its page of sample rows (ids after the last chunk's) and its pixels
 * (from the pixel cache, decoding what is missing), so nothing here grows with
 * the pool. Unreadable files are left out of their chunk and listed in `failures`.
 */
export function activePixelChunks(db: Db, spec: PixelSpec, options: ActiveChunkOptions): PixelChunks & { failures: PixelFailure[] } {
  const failures: PixelFailure[] = [];
  let afterId = 0;
  let before = 0;
  let finished = false;
  return {
    failures,
    async next(): Promise<PixelSet | null> {
      if (finished) return null;
      const sources = activePixelSourcesAfter(db, afterId, options.chunkImages);
      if (sources.length < options.chunkImages) finished = true;
      if (sources.length === 0) return null;
      afterId = sources[sources.length - 1]!.id;
      const first = before;
      before += sources.length;
      const loaded = await loadPixels(db, spec, { isCancelled: options.isCancelled, onProgress: (done, total) => options.onDecoded?.(first, done, total) }, sources);
      failures.push(...loaded.failures);
      // What training applied to every image before the network, embedding applies too (the worker reads these bytes).
      if (options.normaliseTone) stretchPixelSet(loaded.set);
      return loaded.set;
    },
  };
}
