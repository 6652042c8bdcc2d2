import type { Db } from './database';

/** A sample as the model's input reader needs it: where its file is, what its content was, whether it is a DICOM frame. */
export interface PixelSourceRow {
  id: number;
  path: string;
  content_hash: string;
  /** 1 when the sample is a DICOM frame (its pixels depend on the window). */
  dicom?: number;
}

/** Active samples in id order, as the model's input reader needs them. */
export function activePixelSources(db: Db): PixelSourceRow[] {
  // Every id, and LIMIT -1: no limit.
  return activePixelSourcesAfter(db, Number.MIN_SAFE_INTEGER, -1);
}

/**
 * Up to `limit` active samples with ids above `afterId`, in id order: one page
 * of activePixelSources, so a pass over a large pool (embedding) holds a page
 * of rows at a time, never a row object per sample.
 */
export function activePixelSourcesAfter(db: Db, afterId: number, limit: number): PixelSourceRow[] {
  return db
    .prepare(
      "SELECT s.id, s.path, s.content_hash, d.sample_id IS NOT NULL AS dicom FROM samples s LEFT JOIN dicom_frames d ON d.sample_id = s.id WHERE s.status = 'active' AND s.id > ? ORDER BY s.id LIMIT ?",
    )
    .all(afterId, limit) as PixelSourceRow[];
}

/**
 * The project file's cache of decoded model inputs (pixel_cache): one blob
 * per (sample, size, channels), tagged with the key it was decoded under
 * (the content hash, plus the window for DICOM frames).
 */
export interface PixelCache {
  read(sampleId: number, size: number, channels: number): { key: string; data: Buffer } | undefined;
  /** Stores one input, in the caller's transaction. */
  write(entry: PixelCacheEntry): void;
  /** Stores several inputs in one transaction. */
  writeAll(entries: PixelCacheEntry[]): void;
}

export interface PixelCacheEntry {
  sampleId: number;
  size: number;
  channels: number;
  key: string;
  data: Uint8Array;
}

export function pixelCache(db: Db): PixelCache {
  const read = db.prepare('SELECT content_hash, data FROM pixel_cache WHERE sample_id = ? AND size = ? AND channels = ?');
  const write = db.prepare(
    'INSERT INTO pixel_cache (sample_id, size, channels, content_hash, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT(sample_id, size, channels) DO UPDATE SET content_hash = excluded.content_hash, data = excluded.data',
  );
  const writeOne = (e: PixelCacheEntry) => write.run(e.sampleId, e.size, e.channels, e.key, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));
  const writeAll = db.transaction((entries: PixelCacheEntry[]) => {
    for (const e of entries) writeOne(e);
  });
  return {
    read: (sampleId, size, channels) => {
      const row = read.get(sampleId, size, channels) as { content_hash: string; data: Buffer } | undefined;
      return row && { key: row.content_hash, data: row.data };
    },
    write: (entry) => void writeOne(entry),
    writeAll: (entries) => writeAll(entries),
  };
}
