import { DEFAULT_WINDOW_SETTING, type WindowSetting } from '../../../shared/window-level';
import { FarpointError, messageOf } from '../../core/errors';
import { JobCancelled } from '../../core/job-types';
import type { Db } from '../../store/database';
import { activePixelSources, pixelCache, type PixelSourceRow } from '../../store/pixel-cache';
import { readSettings } from '../../store/settings';
import { openSampleImage } from '../import/dicom/sample-image';
import { modelInputFrom, type PixelSpec } from '../import/model-input';

/**
 * The autoencoder's input for each sample (modelInputFrom says what it is).
 * Made once per (sample, size, channels), by the import or on first need,
 * and kept in the project file's pixel_cache, so epochs and later
 * embeddings read 4 KB blobs instead of decoding files.
 */

export type { PixelSpec };

export interface PixelSet {
  ids: Int32Array;
  /** count × size × size × channels, uint8. */
  pixels: Uint8Array;
  bytesPerImage: number;
}

/** Samples whose file could not be read; training and embedding go on without them and report them. */
export interface PixelFailure {
  sampleId: number;
  path: string;
  reason: string;
}

export interface LoadPixelsOptions {
  onProgress?(done: number, total: number): void;
  isCancelled?(): boolean;
  /** Files decoded at once (sharp runs them on its thread pool). */
  concurrency?: number;
}

type SampleRef = PixelSourceRow;

/** Decodes one file to the model's input (modelInputFrom). Throws a FarpointError naming the file. */
export async function decodeForModel(file: string, spec: PixelSpec, window: WindowSetting = DEFAULT_WINDOW_SETTING): Promise<Uint8Array> {
  try {
    return await modelInputFrom(await openSampleImage(file, window, { failOn: 'error' }), spec);
  } catch (err) {
    throw new FarpointError(`cannot decode ${file}: ${messageOf(err).split('\n')[0]}`);
  }
}

/** Active samples in id order. */
export function activeSamples(db: Db): SampleRef[] {
  return activePixelSources(db);
}

/**
 * Pixels of the given samples (all active samples by default), decoding and
 * caching what is missing. Unreadable files are left out and listed.
 */
export async function loadPixels(db: Db, spec: PixelSpec, options: LoadPixelsOptions = {}, samples: SampleRef[] = activeSamples(db)): Promise<{ set: PixelSet; failures: PixelFailure[] }> {
  const bytesPerImage = spec.size * spec.size * spec.channels;
  const cache = pixelCache(db);
  const window = readSettings(db).window;
  // DICOM pixels depend on the project's window: cached inputs rendered with another window are decoded again.
  const windowKey = `|window=${JSON.stringify(window)}`;
  const cacheKey = (sample: SampleRef) => (sample.dicom ? sample.content_hash + windowKey : sample.content_hash);
  const pixels = new Uint8Array(samples.length * bytesPerImage);
  const ids = new Int32Array(samples.length);
  const failures: PixelFailure[] = [];
  const missing: { sample: SampleRef; slot: number }[] = [];
  let count = 0;
  for (const sample of samples) {
    const row = cache.read(sample.id, spec.size, spec.channels);
    const slot = count++;
    ids[slot] = sample.id;
    if (row && row.key === cacheKey(sample) && row.data.length === bytesPerImage) pixels.set(row.data, slot * bytesPerImage);
    else missing.push({ sample, slot });
  }
  options.onProgress?.(samples.length - missing.length, samples.length);

  const concurrency = options.concurrency ?? 8;
  const failedSlots = new Set<number>();
  for (let i = 0; i < missing.length; i += 64) {
    if (options.isCancelled?.()) throw new JobCancelled();
    const chunk = missing.slice(i, i + 64);
    const decoded: (Uint8Array | null)[] = new Array(chunk.length).fill(null);
    for (let j = 0; j < chunk.length; j += concurrency) {
      await Promise.all(
        chunk.slice(j, j + concurrency).map(async ({ sample }, k) => {
          try {
            decoded[j + k] = await decodeForModel(sample.path, spec, window);
          } catch (err) {
            failures.push({ sampleId: sample.id, path: sample.path, reason: messageOf(err) });
          }
        }),
      );
    }
    const decodedEntries: Parameters<typeof cache.writeAll>[0] = [];
    chunk.forEach(({ sample, slot }, k) => {
      const data = decoded[k];
      if (!data) {
        failedSlots.add(slot);
        return;
      }
      pixels.set(data, slot * bytesPerImage);
      decodedEntries.push({ sampleId: sample.id, size: spec.size, channels: spec.channels, key: cacheKey(sample), data });
    });
    cache.writeAll(decodedEntries);
    options.onProgress?.(samples.length - missing.length + Math.min(i + 64, missing.length), samples.length);
  }
  if (failedSlots.size === 0) return { set: { ids, pixels, bytesPerImage }, failures };
  // Compact: drop the slots of files that could not be decoded.
  const keep = samples.length - failedSlots.size;
  const keptIds = new Int32Array(keep);
  const keptPixels = new Uint8Array(keep * bytesPerImage);
  let n = 0;
  for (let slot = 0; slot < samples.length; slot++) {
    if (failedSlots.has(slot)) continue;
    keptIds[n] = ids[slot]!;
    keptPixels.set(pixels.subarray(slot * bytesPerImage, (slot + 1) * bytesPerImage), n * bytesPerImage);
    n++;
  }
  return { set: { ids: keptIds, pixels: keptPixels, bytesPerImage }, failures };
}
