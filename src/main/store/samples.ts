import type { AnnotationSource, SampleInfo, SampleStatus } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import type { Db } from './database';
import { sampleCounts } from './row-counts';

/** A samples row joined with its current label, as SELECT_SAMPLE and review mode read it. */
export interface SampleRow {
  id: number;
  path: string;
  content_hash: string;
  width: number;
  height: number;
  channels: number;
  bit_depth: number;
  format: string;
  status: SampleStatus;
  angle: number | null;
  source: AnnotationSource | null;
}

const SELECT_SAMPLE = `
  SELECT s.id, s.path, s.content_hash, s.width, s.height, s.channels, s.bit_depth, s.format, s.status,
         l.angle AS angle, l.source AS source
  FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id`;

export function toSampleInfo(row: SampleRow): SampleInfo {
  return {
    id: row.id,
    path: row.path,
    contentHash: row.content_hash,
    width: row.width,
    height: row.height,
    channels: row.channels,
    bitDepth: row.bit_depth,
    format: row.format,
    status: row.status,
    angle: row.angle,
    angleSource: row.source,
  };
}

export function getSample(db: Db, id: number): SampleInfo {
  const row = db.prepare(`${SELECT_SAMPLE} WHERE s.id = ?`).get(id) as SampleRow | undefined;
  if (!row) throw new FarpointError(`no sample with id ${id}`, 404);
  return toSampleInfo(row);
}

/** Refuses (404) the first of `ids` that is no sample of the project; one prepared statement for them all. */
export function requireSamples(db: Db, ids: readonly number[]): void {
  const exists = db.prepare('SELECT 1 FROM samples WHERE id = ?').pluck();
  for (const id of ids) if (exists.get(id) === undefined) throw new FarpointError(`no sample with id ${id}`, 404);
}

export function getSamples(db: Db, ids: readonly number[]): SampleInfo[] {
  const stmt = db.prepare(`${SELECT_SAMPLE} WHERE s.id = ?`);
  return ids.map((id) => {
    const row = stmt.get(id) as SampleRow | undefined;
    if (!row) throw new FarpointError(`no sample with id ${id}`, 404);
    return toSampleInfo(row);
  });
}

export function samplePath(db: Db, id: number): string {
  const row = db.prepare('SELECT path FROM samples WHERE id = ?').get(id) as { path: string } | undefined;
  if (!row) throw new FarpointError(`no sample with id ${id}`, 404);
  return row.path;
}

/** Each sample's path, in the order of `ids` (every id must exist). */
export function samplePaths(db: Db, ids: ArrayLike<number>): string[] {
  const pathOf = db.prepare('SELECT path FROM samples WHERE id = ?').pluck();
  const paths: string[] = [];
  for (let i = 0; i < ids.length; i++) paths.push(pathOf.get(ids[i]) as string);
  return paths;
}

export function countActiveSamples(db: Db): number {
  return sampleCounts(db).active;
}

/** Every active sample's id, ascending: 4 bytes a sample, where a row object each would weigh a hundred times more at a million. */
export function activeSampleIds(db: Db): Int32Array {
  const ids = db.prepare("SELECT id FROM samples WHERE status = 'active' ORDER BY id").pluck().all() as number[];
  return Int32Array.from(ids);
}

/** What the model-input loader (stages/train/pixels.ts) reads of a sample: its file, content hash and whether it is a DICOM frame. */
export interface PixelSourceRow {
  id: number;
  path: string;
  content_hash: string;
  /** 1 when the sample is a DICOM frame (its pixels depend on the window). */
  dicom?: number;
}

/** The rows of those of `ids` that are active now, in the order of `ids` (a sample excluded or deleted since is left out). */
export function activePixelSources(db: Db, ids: ArrayLike<number>): PixelSourceRow[] {
  const rowOf = db.prepare(
    "SELECT s.id, s.path, s.content_hash, d.sample_id IS NOT NULL AS dicom FROM samples s LEFT JOIN dicom_frames d ON d.sample_id = s.id WHERE s.id = ? AND s.status = 'active'",
  );
  const rows: PixelSourceRow[] = [];
  for (let i = 0; i < ids.length; i++) {
    const row = rowOf.get(ids[i]) as PixelSourceRow | undefined;
    if (row) rows.push(row);
  }
  return rows;
}

/** The ids among `ids` of samples that are active now. */
export function activeAmong(db: Db, ids: readonly number[]): number[] {
  return db.prepare(`SELECT id FROM samples WHERE status = 'active' AND id IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify(ids)) as number[];
}

export function excludedSampleIds(db: Db): IterableIterator<number> {
  return db.prepare("SELECT id FROM samples WHERE status = 'excluded'").pluck().iterate() as IterableIterator<number>;
}

/** [content hash, id] of every sample whose content hash another sample shares, by hash then id. */
export function sharedContentHashes(db: Db): [string, number][] {
  return db
    .prepare(
      `SELECT content_hash AS hash, id FROM samples
       WHERE content_hash IN (SELECT content_hash FROM samples GROUP BY content_hash HAVING COUNT(*) > 1)
       ORDER BY content_hash, id`,
    )
    .raw()
    .all() as [string, number][];
}

export function thumbnailOf(db: Db, id: number): { mime: string; data: Buffer } {
  const row = db.prepare('SELECT mime, data FROM thumbnails WHERE sample_id = ?').get(id) as { mime: string; data: Buffer } | undefined;
  if (!row) throw new FarpointError(`no thumbnail for sample ${id}`, 404);
  return row;
}

export interface SampleCounts {
  samples: number;
  active: number;
  excluded: number;
  labeled: number;
}

/**
 * Counted as COUNT(*) (SQLite's b-tree count) and the few excluded samples
 * through the status index: summing a status over every row took 20–80 ms
 * at 100,000 samples, on the main thread, at every status request.
 */
export function countSamples(db: Db): SampleCounts {
  const { active, excluded } = sampleCounts(db);
  const labeled = db.prepare('SELECT COUNT(*) FROM current_labels').pluck().get() as number;
  return { samples: active + excluded, active, excluded, labeled };
}

/** Finders of a sample by its resolved path and by its content hash (the lowest id of equal contents), prepared once. */
export function sampleFinders(db: Db): { byPath: (path: string) => number | undefined; byHash: (hash: string) => number | undefined } {
  const byPath = db.prepare('SELECT id FROM samples WHERE path = ?').pluck();
  const byHash = db.prepare('SELECT id FROM samples WHERE content_hash = ? ORDER BY id LIMIT 1').pluck();
  return { byPath: (p) => byPath.get(p) as number | undefined, byHash: (h) => byHash.get(h) as number | undefined };
}
