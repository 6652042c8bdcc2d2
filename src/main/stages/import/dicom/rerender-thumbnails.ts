import type { JobProgress, SkippedFile } from '../../../../shared/domain';
import { windowSettingKey, type WindowSetting } from '../../../../shared/window-level';
import { JobCancelled } from '../../../core/job-types';
import type { Db } from '../../../store/database';
import { staleDicomThumbnails, storeDicomThumbnails, type RenderedThumbnail, type StaleThumbnail } from '../../../store/dicom-thumbnails';
import { readSettings } from '../../../store/settings';
import { mapInOrder } from '../map-in-order';
import { asBuffer, ReadPool, readThreadsFor } from '../read-pool';
import { DEFAULT_MAX_FILE_BYTES } from '../regular-file';
import { runReadTask } from '../read-tasks';
import { withoutVipsCache } from '../without-vips-cache';

export interface RerenderOptions {
  onProgress?: (progress: JobProgress) => void;
  isCancelled?: () => boolean;
  /** Reading threads; 0 renders on this thread. Default as the import's (read-pool.ts). */
  threads?: number;
  /** Files decoded at once. */
  inFlight?: number;
}

export interface RerenderSummary {
  /** The window the thumbnails now show. */
  window: WindowSetting;
  /** Thumbnails rendered again. */
  rendered: number;
  /** Files that could not be read again (moved, changed, unreadable): their thumbnails keep the old window. */
  failed: SkippedFile[];
  seconds: number;
}

/** Thumbnails committed per transaction. */
const BATCH = 64;

/**
 * Renders again every DICOM thumbnail that does not show the project's
 * window (each records the window it was rendered with), one file decoded
 * once for all its frames. Safe to interrupt: each batch is committed with
 * its window, and a later run does only what is still stale. When the window
 * changes while it runs (the CLI beside the app), it starts over with the new one.
 */
export async function rerenderDicomThumbnails(db: Db, options: RerenderOptions = {}): Promise<RerenderSummary> {
  const started = performance.now();
  const failed: SkippedFile[] = [];
  const failedFiles = new Set<string>();
  let rendered = 0;
  let pool: ReadPool | null = null;
  try {
    return await withoutVipsCache(async () => {
      for (;;) {
        const window = readSettings(db).window;
        const key = windowSettingKey(window);
        const files = byFile(staleDicomThumbnails(db, key).filter((t) => !failedFiles.has(t.file)));
        const total = files.reduce((n, f) => n + f.length, 0);
        const threads = readThreadsFor(files.length, options.threads);
        if (threads > 0 && !pool) pool = new ReadPool(threads);
        const render = (frames: StaleThumbnail[]) => {
          const task = { file: frames[0]!.file, frames: frames.map((f) => f.frame), window, maxFileBytes: DEFAULT_MAX_FILE_BYTES };
          return pool ? pool.run('thumbnails', task) : runReadTask('thumbnails', task);
        };
        const stillCurrent = () => windowSettingKey(readSettings(db).window) === key;
        const report = (done: number) => {
          const seconds = (performance.now() - started) / 1000;
          const rate = rendered / Math.max(seconds, 1e-3);
          options.onProgress?.({ done, total, unit: 'thumbnails', message: `re-rendering DICOM thumbnails with the new window: ${done} of ${total}`, rate, etaSeconds: rate > 0 ? (total - done) / rate : undefined });
        };
        report(0);
        let batch: RenderedThumbnail[] = [];
        let done = 0;
        let current = true;
        for await (const [frames, result] of mapInOrder(files, options.inFlight ?? 8, async (frames) => [frames, await render(frames)] as const)) {
          if (options.isCancelled?.()) throw new JobCancelled('re-rendering thumbnails cancelled');
          done += frames.length;
          if ('reason' in result) {
            failed.push({ path: frames[0]!.file, reason: result.reason });
            failedFiles.add(frames[0]!.file);
          } else {
            result.thumbnails.forEach((t, i) => batch.push({ sampleId: frames[i]!.sampleId, width: t.width, height: t.height, mime: t.mime, data: asBuffer(t.data) }));
          }
          if (batch.length >= BATCH) {
            if (!(current = stillCurrent())) break;
            storeDicomThumbnails(db, batch, key);
            rendered += batch.length;
            batch = [];
            report(done);
          }
        }
        if (current && (current = stillCurrent()) && batch.length > 0) {
          storeDicomThumbnails(db, batch, key);
          rendered += batch.length;
          report(done);
        }
        if (current) return { window, rendered, failed, seconds: (performance.now() - started) / 1000 };
      }
    });
  } finally {
    await (pool as ReadPool | null)?.close();
  }
}

/** Consecutive rows of one file (the rows come ordered by file, then frame). */
function byFile(rows: StaleThumbnail[]): StaleThumbnail[][] {
  const groups: StaleThumbnail[][] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.file === row.file) last.push(row);
    else groups.push([row]);
  }
  return groups;
}
