import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuplicateFile, ImportSummary, JobProgress, SkippedFile } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { JobCancelled } from '../../core/job-types';
import { writeOrExplain, type Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { windowSettingKey } from '../../../shared/window-level';
import { DEFAULT_MAX_FILE_BYTES } from './regular-file';
import type { DecodedImage, ReadLimits } from './read-image';
import { dicomFrameWriter } from './dicom/store-frame';
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
  const runId = Number(
    writeOrExplain(() => db.prepare('INSERT INTO import_runs (folder, started_at) VALUES (?, ?)').run(root, new Date().toISOString()))
      .lastInsertRowid,
  );

  const report = (done: number, total: number, message: string) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-3);
    options.onProgress?.({ done, total, unit: 'images', message, rate, etaSeconds: rate > 0 ? (total - done) / rate : undefined });
  };

  report(0, 0, `scanning ${root}`);
  const known = new Set((db.prepare('SELECT path FROM samples').pluck().all() as string[]));
  // A multi-frame DICOM file's samples are named by frame; the file itself is known once any frame is.
  for (const file of db.prepare('SELECT DISTINCT file_path FROM dicom_frames').pluck().all() as string[]) known.add(file);
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
  const findByHash = db.prepare('SELECT path FROM samples WHERE content_hash = ? LIMIT 1').pluck();
  const insertSample = db.prepare(
    `INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, status, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?) ON CONFLICT(path) DO NOTHING`,
  );
  const insertThumb = db.prepare('INSERT OR REPLACE INTO thumbnails (sample_id, width, height, mime, data) VALUES (?, ?, ?, ?, ?)');
  const storeDicomFrame = dicomFrameWriter(db, windowSettingKey(settings.window));
  const duplicates: DuplicateFile[] = [];
  let imported = 0;

  const storeBatch = db.transaction((results: ReadResult[]) => {
    const now = new Date().toISOString();
    for (const result of results.flatMap((r): (DecodedImage | SkippedFile)[] => (Array.isArray(r) ? r : [r]))) {
      if (!('contentHash' in result)) {
        skipped.push(result);
        continue;
      }
      const original = pathByHash.get(result.contentHash) ?? (findByHash.get(result.contentHash) as string | undefined);
      if (original !== undefined) {
        duplicates.push({ path: result.path, duplicateOf: original });
        continue;
      }
      const info = insertSample.run(result.path, result.contentHash, result.width, result.height, result.channels, result.bitDepth, result.format, now);
      if (info.changes === 0) {
        alreadyPresent++;
        continue;
      }
      const t = result.thumbnail;
      insertThumb.run(Number(info.lastInsertRowid), t.width, t.height, t.mime, t.data);
      if (result.dicom) storeDicomFrame(Number(info.lastInsertRowid), result.dicom);
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
  writeOrExplain(() =>
    db.prepare('UPDATE import_runs SET finished_at = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify(summary), runId),
  );
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

export function lastImportSummary(db: Db): ImportSummary | null {
  const raw = db.prepare('SELECT summary FROM import_runs WHERE summary IS NOT NULL ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  return raw ? (JSON.parse(raw) as ImportSummary) : null;
}
