import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportSummary, JobProgress } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { JobCancelled } from '../../core/job-types';
import type { Db } from '../../store/database';
import { finishImportRun, startImportRun } from '../../store/import-runs';
import { importedPaths } from '../../store/imported-samples';
import { readSettings } from '../../store/settings';
import { windowSettingKey } from '../../../shared/window-level';
import type { ReadDicomOptions } from './dicom/read-dicom';
import { fileReader, type FileReader } from './file-reader';
import { batchStore, commitBatch, type ImportTally } from './import-batch';
import { mapInOrder } from './map-in-order';
import type { PixelSpec } from './model-input';
import type { ReadResult } from './read-or-reason';
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
  /** Model input made for each image decoded once anyway (model-input.ts); default the project's input size and channels, null for none. */
  modelInput?: PixelSpec | null;
}

export { BYTES_IN_FLIGHT } from './file-reader';

/**
 * Imports every image under a folder. Safe to re-run and to kill at any
 * moment: each batch is committed in one transaction, and paths already in
 * the project are skipped without being read again, so a second run finishes
 * what the first began without duplicate rows.
 */
export async function importFolder(db: Db, folder: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const root = await existingFolder(folder);
  const started = performance.now();
  const runId = startImportRun(db, root);
  const report = progressReporter(options, started);

  report(0, 0, `scanning ${root}`);
  const known = importedPaths(db);
  const settings = readSettings(db);
  const dicomOptions: ReadDicomOptions = { window: settings.window, keepPatientAttributes: settings.keepPatientAttributes };
  const tally: ImportTally = { scanned: 0, ignored: 0, alreadyPresent: 0, imported: 0, skipped: [], duplicates: [] };
  const pending = await filesToRead(root, known, tally, options);

  const store = batchStore(db, windowSettingKey(settings.window), tally);
  const total = pending.length;
  report(0, total, `importing ${total} images (${tally.alreadyPresent} already in the project)`);
  let done = 0;
  const commit = (batch: ReadResult[]) => {
    commitBatch(store, batch, tally);
    done += batch.length;
    report(done, total, `imported ${tally.imported}, skipped ${tally.skipped.length}, duplicates ${tally.duplicates.length}`);
  };
  const modelSpec = options.modelInput === undefined ? { size: settings.inputSize, channels: settings.channels } : options.modelInput;
  const reader = fileReader(pending.length, options, dicomOptions, modelSpec);
  try {
    await readInBatches(pending, reader, options.batchSize ?? 64, commit, options);
  } catch (err) {
    throw withWhatWasSaved(err, tally.imported, root);
  } finally {
    await reader.pool?.close();
  }

  const summary = summarise(root, tally, total, started);
  finishImportRun(db, runId, summary);
  return summary;
}

/** The folder's absolute path, once it is known to be a folder. */
async function existingFolder(folder: string): Promise<string> {
  const root = path.resolve(folder);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat) throw new FarpointError(`folder not found: ${root}`, 404);
  if (!stat.isDirectory()) throw new FarpointError(`not a folder: ${root}`);
  return root;
}

/** Reports progress in images, with the rate since the import started and the time left at that rate. */
function progressReporter(options: ImportOptions, started: number): (done: number, total: number, message: string) => void {
  return (done, total, message) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-3);
    options.onProgress?.({ done, total, unit: 'images', message, rate, etaSeconds: rate > 0 ? (total - done) / rate : undefined });
  };
}

/** Walks the folder, counting what it finds in the tally; returns the images not yet in the project, in the folder's order. */
async function filesToRead(root: string, known: Set<string>, tally: ImportTally, options: ImportOptions): Promise<string[]> {
  const pending: string[] = [];
  for await (const entry of scanFolder(root)) {
    if (entry.kind === 'ignored') tally.ignored++;
    else if (entry.kind === 'skipped') tally.skipped.push({ path: entry.path, reason: entry.reason });
    else {
      tally.scanned++;
      if (known.has(entry.path)) tally.alreadyPresent++;
      else pending.push(entry.path);
    }
    if (options.isCancelled?.()) throw new JobCancelled('import cancelled');
  }
  return pending;
}

/** Reads the files and hands their results on `batchSize` at a time (the last batch possibly smaller). */
async function readInBatches(
  pending: string[],
  reader: FileReader,
  batchSize: number,
  commit: (batch: ReadResult[]) => void,
  options: ImportOptions,
): Promise<void> {
  let batch: ReadResult[] = [];
  await withoutVipsCache(async () => {
    // Files are read and decoded on the reading threads (and sharp's) while this thread commits a batch;
    // results come back in the folder's order, so the first of two identical files is the one kept.
    for await (const result of mapInOrder(pending, reader.inFlight, reader.read)) {
      if (options.isCancelled?.()) throw new JobCancelled('import cancelled');
      batch.push(result);
      if (batch.length >= batchSize) {
        commit(batch);
        batch = [];
      }
    }
    if (batch.length > 0) commit(batch);
  });
}

function summarise(root: string, tally: ImportTally, total: number, started: number): ImportSummary {
  const seconds = (performance.now() - started) / 1000;
  const { scanned, imported, alreadyPresent, duplicates, skipped, ignored } = tally;
  return {
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
