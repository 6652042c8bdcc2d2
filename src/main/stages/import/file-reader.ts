import type { ReadDicomOptions } from './dicom/read-dicom';
import type { ReadLimits } from './read-image';
import type { PixelSpec } from './model-input';
import { readOrReason, type ReadResult } from './read-or-reason';
import { asBuffer, ReadPool, readThreadsFor } from './read-pool';
import { DEFAULT_MAX_FILE_BYTES } from './regular-file';

/**
 * File bytes the import holds at once, all files in flight together: each
 * file is read whole only up to its share (BYTES_IN_FLIGHT / inFlight), and
 * larger ones are hashed a chunk at a time and decoded from the file.
 */
export const BYTES_IN_FLIGHT = 256 * 1024 * 1024;

export interface FileReader {
  /** Reads and decodes one file, or says why it was skipped. */
  read(file: string): Promise<ReadResult>;
  /** Files read at once. */
  inFlight: number;
  /** The reading threads, to close when the import ends; null when files are read on this thread. */
  pool: ReadPool | null;
}

/** How an import of `files` files reads them: on reading threads (read-pool.ts) when there are enough files, else on this thread. */
export function fileReader(
  files: number,
  options: { inFlight?: number; threads?: number; maxFileBytes?: number },
  dicom: ReadDicomOptions,
  modelSpec: PixelSpec | null = null,
): FileReader {
  const inFlight = Math.max(1, options.inFlight ?? 8);
  const limits: ReadLimits = { maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, wholeReadBytes: Math.floor(BYTES_IN_FLIGHT / inFlight) };
  const threads = readThreadsFor(files, options.threads);
  const pool = threads > 0 ? new ReadPool(threads) : null;
  const read = pool
    ? async (file: string) => withBuffers(await pool.run('samples', { file, limits, dicom, modelSpec }))
    : (file: string) => readOrReason(file, limits, dicom, modelSpec);
  return { read, inFlight, pool };
}

/** Thumbnails read on another thread arrive as Uint8Arrays. */
function withBuffers(result: ReadResult): ReadResult {
  return Array.isArray(result) ? result.map((s) => ({ ...s, thumbnail: { ...s.thumbnail, data: asBuffer(s.thumbnail.data) } })) : result;
}
