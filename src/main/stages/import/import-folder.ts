import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuplicateFile, ImportSummary, JobProgress, SkippedFile } from '../../../shared/domain';
import { FarpointError, messageOf } from '../../core/errors';
import { JobCancelled } from '../../core/job-types';
import { writeOrExplain, type Db } from '../../store/database';
import { ImageRejected, readImage, type DecodedImage } from './read-image';
import { mapInOrder } from './map-in-order';
import { scanFolder } from './scan-folder';
import { withoutVipsCache } from './without-vips-cache';

export interface ImportOptions {
  onProgress?: (progress: JobProgress) => void;
  isCancelled?: () => boolean;
  /** Files being read and decoded at once; sharp spreads them over libuv's thread pool. */
  inFlight?: number;
  /** Results committed per transaction: each is one step an interrupted import never has to redo. */
  batchSize?: number;
}

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
  const duplicates: DuplicateFile[] = [];
  let imported = 0;

  const storeBatch = db.transaction((results: (DecodedImage | SkippedFile)[]) => {
    const now = new Date().toISOString();
    for (const result of results) {
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
      pathByHash.set(result.contentHash, result.path);
      imported++;
    }
  });

  const total = pending.length;
  const batchSize = options.batchSize ?? 64;
  report(0, total, `importing ${total} images (${alreadyPresent} already in the project)`);
  let done = 0;
  let batch: (DecodedImage | SkippedFile)[] = [];
  const commit = () => {
    writeOrExplain(() => storeBatch.immediate(batch));
    done += batch.length;
    batch = [];
    report(done, total, `imported ${imported}, skipped ${skipped.length}, duplicates ${duplicates.length}`);
  };
  await withoutVipsCache(async () => {
    // Decoding goes on in the thread pool while the main thread commits a batch.
    for await (const result of mapInOrder(pending, options.inFlight ?? 8, decodeOrReason)) {
      if (options.isCancelled?.()) throw new JobCancelled('import cancelled');
      batch.push(result);
      if (batch.length >= batchSize) commit();
    }
    if (batch.length > 0) commit();
  });

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

async function decodeOrReason(file: string): Promise<DecodedImage | SkippedFile> {
  try {
    return await readImage(file);
  } catch (err) {
    return { path: file, reason: err instanceof ImageRejected ? err.message : `failed: ${messageOf(err)}` };
  }
}

export function lastImportSummary(db: Db): ImportSummary | null {
  const raw = db.prepare('SELECT summary FROM import_runs WHERE summary IS NOT NULL ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  return raw ? (JSON.parse(raw) as ImportSummary) : null;
}
