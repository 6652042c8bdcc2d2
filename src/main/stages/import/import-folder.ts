import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuplicateFile, ImportSummary, JobProgress, SkippedFile } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { JobCancelled } from '../../core/job-types';
import { writeOrExplain, type Db } from '../../store/database';
import { finishImportRun, startImportRun } from '../../store/import-runs';
import { importedPaths, importedSampleWriter } from '../../store/imported-samples';
import { readSettings } from '../../store/settings';
import { windowSettingKey } from '../../../shared/window-level';
import { DEFAULT_MAX_FILE_BYTES } from './regular-file';
import type { DecodedImage, ReadLimits } from './read-image';
import type { ReadDicomOptions } from './dicom/read-dicom';
import { mapInOrder } from './map-in-order';
import { readOrReason, type ReadResult } from './read-or-reason';
import { asBuffer, ReadPool, readThreadsFor } from './read-pool';
import { scanFolder } from './scan-folder';
import { withoutVipsCache } from './without-vips-cache';

export interface ImportOptions {
  onProgress?: (progress: JobProgress) => void;
  isCancelled?: () => boolean;
  /** Files being read and decoded at once, over the reading threads and libuv's thread pool (sharp's). */
  inFlight?: number;
  /** Reading threads (read-pool.ts); 0 reads on this thread. Default: readThreadsFor (from three cores, for imports of POOL_MIN_FILES files or more). */
  threads?: number;
  /** Files larger than this are skipped unread (default DEFAULT_MAX_FILE_BYTES, 1 GiB). */
  maxFileBytes?: number;
  /** Results committed per transaction: each is one step an interrupted import never has to redo. */
  batchSize?: number;
}

/**
 * File bytes the import holds at once, all files in flight together: each
 * file is read whole only up to its share (BYTES_IN_FLIGHT / inFlight), and
 * larger ones are hashed a chunk at a time and decoded from the file.
 */
export const BYTES_IN_FLIGHT = 256 * 1024 * 1024;

/**
 * Imports every image under a folder. Safe to re-run and to kill at any
 * moment: each batch is committed in one transaction, and paths already in
 * the project are skipped without being read again, so a second run finishes
 * what the first began without duplicate rows.
 */
export async function importFolder(db: Db, folder: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const root = path.resolve(folder);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat) throw new FarpointError(`folder not found: ${root}`, 404);
  if (!stat.isDirectory()) throw new FarpointError(`not a folder: ${root}`);
  const started = performance.now();
  const runId = startImportRun(db, root);

  const report = (done: number, total: number, message: string) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-3);
    options.onProgress?.({ done, total, unit: 'images', message, rate, etaSeconds: rate > 0 ? (total - done) / rate : undefined });
  };

  report(0, 0, `scanning ${root}`);
  const known = importedPaths(db);
  const settings = readSettings(db);
  const dicomOptions: ReadDicomOptions = { window: settings.window, keepPatientAttributes: settings.keepPatientAttributes };
  const pending: string[] = [];
  const skipped: SkippedFile[] = [];
  let scanned = 0;
  let ignored = 0;
  let alreadyPresent = 0;
  for await (const entry of scanFolder(root)) {
    if (entry.kind === 'ignored') ignored++;
    else if (entry.kind === 'skipped') skipped.push({ path: entry.path, reason: entry.reason });
    else {
      scanned++;
      if (known.has(entry.path)) alreadyPresent++;
      else pending.push(entry.path);
    }
    if (options.isCancelled?.()) throw new JobCancelled('import cancelled');
  }

  const pathByHash = new Map<string, string>();
  const writer = importedSampleWriter(db, windowSettingKey(settings.window));
  const duplicates: DuplicateFile[] = [];
  let imported = 0;

  const storeBatch = db.transaction((results: ReadResult[]) => {
    const now = new Date().toISOString();
    for (const result of results.flatMap((r): (DecodedImage | SkippedFile)[] => (Array.isArray(r) ? r : [r]))) {
      if (!('contentHash' in result)) {
        skipped.push(result);
        continue;
      }
      const original = pathByHash.get(result.contentHash) ?? writer.pathWithHash(result.contentHash);
      if (original !== undefined) {
        duplicates.push({ path: result.path, duplicateOf: original });
        continue;
      }
      if (!writer.insert(result, now)) {
        alreadyPresent++;
        continue;
      }
      pathByHash.set(result.contentHash, result.path);
      imported++;
    }
  });

  const total = pending.length;
  const batchSize = options.batchSize ?? 64;
  report(0, total, `importing ${total} images (${alreadyPresent} already in the project)`);
  let done = 0;
  let batch: ReadResult[] = [];
  const commit = () => {
    // A refused batch is rolled back: it must not count in what the import says it kept.
    const kept = { imported, duplicates: duplicates.length, skipped: skipped.length };
    try {
      writeOrExplain(() => storeBatch.immediate(batch));
    } catch (err) {
      imported = kept.imported;
      duplicates.length = kept.duplicates;
      skipped.length = kept.skipped;
      throw err;
    }
    done += batch.length;
    batch = [];
    report(done, total, `imported ${imported}, skipped ${skipped.length}, duplicates ${duplicates.length}`);
  };
  const inFlight = Math.max(1, options.inFlight ?? 8);
  const limits: ReadLimits = { maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, wholeReadBytes: Math.floor(BYTES_IN_FLIGHT / inFlight) };
  const threads = readThreadsFor(pending.length, options.threads);
  const pool = threads > 0 ? new ReadPool(threads) : null;
  const read = pool
    ? async (file: string) => withBuffers(await pool.run('samples', { file, limits, dicom: dicomOptions }))
    : (file: string) => readOrReason(file, limits, dicomOptions);
  try {
    await withoutVipsCache(async () => {
      // Files are read and decoded on the reading threads (and sharp's) while this thread commits a batch;
      // results come back in the folder's order, so the first of two identical files is the one kept.
      for await (const result of mapInOrder(pending, inFlight, read)) {
        if (options.isCancelled?.()) throw new JobCancelled('import cancelled');
        batch.push(result);
        if (batch.length >= batchSize) commit();
      }
      if (batch.length > 0) commit();
    });
  } catch (err) {
    throw withWhatWasSaved(err, imported, root);
  } finally {
    await pool?.close();
  }

  const seconds = (performance.now() - started) / 1000;
  const summary: ImportSummary = {
    folder: root,
    scanned,
    imported,
    alreadyPresent,
    duplicates,
    skipped,
    ignored,
    seconds,
    imagesPerSecond: total / Math.max(seconds, 1e-3),
  };
  finishImportRun(db, runId, summary);
  return summary;
}

/**
 * A refused write's message says what the import kept: every committed batch
 * stays in the project, and a re-run goes on from there.
 */
function withWhatWasSaved(err: unknown, imported: number, root: string): unknown {
  if (!(err instanceof FarpointError) || err.status !== 423) return err;
  const reason = err.message.replace(/; nothing was saved/, '');
  const kept = `${imported} image${imported === 1 ? ' was' : 's were'} imported from ${root} before that and ${imported === 1 ? 'is' : 'are'} kept; the batch being written was not saved; importing again goes on from there`;
  return new FarpointError(`${reason}: ${kept}`, 423);
}

/** Thumbnails read on another thread arrive as Uint8Arrays. */
function withBuffers(result: ReadResult): ReadResult {
  return Array.isArray(result) ? result.map((s) => ({ ...s, thumbnail: { ...s.thumbnail, data: asBuffer(s.thumbnail.data) } })) : result;
}
