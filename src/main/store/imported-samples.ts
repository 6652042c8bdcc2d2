import type { Db } from './database';
import { dicomFrameWriter, type DicomFrameToStore } from './dicom-frames';
import { pixelCache } from './pixel-cache';

/** One decoded image as an import stores it: its sample row, its thumbnail and, for a DICOM frame, its frame row. */
export interface ImportedImage {
  path: string;
  contentHash: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  format: string;
  thumbnail: { width: number; height: number; mime: string; data: Buffer };
  /** Set for a frame of a DICOM file. */
  dicom?: DicomFrameToStore;
  /** The model's input at the project's input size, when the import made it (stored in the pixel cache under the content hash). */
  modelInput?: { size: number; channels: number; data: Uint8Array };
}

/**
 * Paths an import need not read again: every sample's, and every DICOM file
 * with any frame in the project (a multi-frame file's samples are named by frame).
 */
export function importedPaths(db: Db): Set<string> {
  const known = new Set(db.prepare('SELECT path FROM samples').pluck().all() as string[]);
  for (const file of db.prepare('SELECT DISTINCT file_path FROM dicom_frames').pluck().all() as string[]) known.add(file);
  return known;
}

export interface ImportedSampleWriter {
  /** The path of a sample with this content, if the project has one. */
  pathWithHash(contentHash: string): string | undefined;
  /** Stores the image's rows; false when its path is already a sample (nothing written). */
  insert(image: ImportedImage, importedAt: string): boolean;
}

/**
 * The writes of an import, statements prepared once per import; the caller
 * runs them in its batch's transaction. `thumbnailWindow` (a windowSettingKey)
 * is the window DICOM thumbnails were rendered with.
 */
export function importedSampleWriter(db: Db, thumbnailWindow: string): ImportedSampleWriter {
  const findByHash = db.prepare('SELECT path FROM samples WHERE content_hash = ? LIMIT 1').pluck();
  const insertSample = db.prepare(
    `INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, status, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?) ON CONFLICT(path) DO NOTHING`,
  );
  const insertThumb = db.prepare('INSERT OR REPLACE INTO thumbnails (sample_id, width, height, mime, data) VALUES (?, ?, ?, ?, ?)');
  const storeDicomFrame = dicomFrameWriter(db, thumbnailWindow);
  const cachePixels = pixelCache(db);
  return {
    pathWithHash: (contentHash) => findByHash.get(contentHash) as string | undefined,
    insert: (image, importedAt) => {
      const info = insertSample.run(image.path, image.contentHash, image.width, image.height, image.channels, image.bitDepth, image.format, importedAt);
      if (info.changes === 0) return false;
      const sampleId = Number(info.lastInsertRowid);
      const t = image.thumbnail;
      insertThumb.run(sampleId, t.width, t.height, t.mime, t.data);
      if (image.dicom) storeDicomFrame(sampleId, image.dicom);
      const input = image.modelInput;
      if (input && !image.dicom) cachePixels.write({ sampleId, size: input.size, channels: input.channels, key: image.contentHash, data: input.data });
      return true;
    },
  };
}
