import type { Db } from './database';
import { writeOrExplain } from './database';
import { windowSettingKey } from '../../shared/window-level';
import { readSettings } from './settings';

/** A DICOM sample whose thumbnail shows another window than the project's. */
export interface StaleThumbnail {
  sampleId: number;
  file: string;
  /** 1-based. */
  frame: number;
}

export interface RenderedThumbnail {
  sampleId: number;
  width: number;
  height: number;
  mime: string;
  data: Buffer;
}

/** DICOM samples whose thumbnail was not rendered with window `key` (windowSettingKey), grouped by file: each file is decoded once for all its frames. */
export function staleDicomThumbnails(db: Db, key: string): StaleThumbnail[] {
  return db
    .prepare('SELECT sample_id AS sampleId, file_path AS file, frame FROM dicom_frames WHERE thumbnail_window IS NOT ? ORDER BY file_path, frame')
    .all(key) as StaleThumbnail[];
}

export function countStaleDicomThumbnails(db: Db, key: string): number {
  return db.prepare('SELECT COUNT(*) FROM dicom_frames WHERE thumbnail_window IS NOT ?').pluck().get(key) as number;
}

/** Whether some DICOM thumbnail shows another window than the project's (an interrupted re-render, or one made before windows were recorded). */
export function hasStaleDicomThumbnails(db: Db): boolean {
  return countStaleDicomThumbnails(db, windowSettingKey(readSettings(db).window)) > 0;
}

export function hasDicomSamples(db: Db): boolean {
  return db.prepare('SELECT 1 FROM dicom_frames LIMIT 1').get() !== undefined;
}

/** Replaces thumbnails rendered with window `key`, in one transaction: an interrupted re-render keeps every batch it committed. */
export function storeDicomThumbnails(db: Db, thumbnails: RenderedThumbnail[], key: string): void {
  const update = db.prepare('UPDATE thumbnails SET width = ?, height = ?, mime = ?, data = ? WHERE sample_id = ?');
  const mark = db.prepare('UPDATE dicom_frames SET thumbnail_window = ? WHERE sample_id = ?');
  writeOrExplain(() =>
    db
      .transaction(() => {
        for (const t of thumbnails) {
          update.run(t.width, t.height, t.mime, t.data, t.sampleId);
          mark.run(key, t.sampleId);
        }
      })
      .immediate(),
  );
}
