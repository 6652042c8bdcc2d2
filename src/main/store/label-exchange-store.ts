import type { Db } from './database';

/**
 * The label exchange between sites: the merged_annotations table (what packs
 * from other projects brought, kept beside the local history, never in it),
 * and the histories a pack carries, keyed by each image's content hash.
 */

/** One hand-label entry of either history, as agreement reads them. */
export interface HandLabelEntry {
  sampleId: number;
  author: string;
  /** Null where the entry removed the label (an undo or a clear). */
  angle: number | null;
  /** 'local', or the name of the project it was merged from. */
  from: string;
  createdAt: string;
}

/**
 * Every hand label entry, local and merged, by sample and then time (a local
 * entry before a merged one made at the same moment): the later entry of an
 * annotator is their current label.
 */
export function handLabelEntries(db: Db): HandLabelEntry[] {
  return db
    .prepare(
      `SELECT sample_id AS sampleId, author, angle, from_name AS "from", created_at AS createdAt FROM (
         SELECT sample_id, author, angle, 'local' AS from_name, created_at, 0 AS merged, id FROM annotations WHERE source = 'hand'
         UNION ALL
         SELECT sample_id, author, angle, origin_name AS from_name, created_at, 1 AS merged, id FROM merged_annotations WHERE source = 'hand'
       )
       ORDER BY sample_id, created_at, merged, id`,
    )
    .all() as HandLabelEntry[];
}

/** A history entry as a pack carries it, with its image's content hash. */
export interface HashedAnnotation {
  hash: string;
  /** Where it was made: null for this project's own entries. */
  origin: string | null;
  originName: string | null;
  /** Its id in the project that made it. */
  originId: number;
  angle: number | null;
  action: string;
  source: string;
  author: string;
  createdAt: string;
}

/** This project's own annotations, oldest first, each with its image's content hash (origin null: this project). */
export function ownAnnotationsByHash(db: Db): IterableIterator<HashedAnnotation> {
  return db
    .prepare(
      `SELECT s.content_hash AS hash, NULL AS origin, NULL AS originName, a.id AS originId, a.angle, a.action, a.source, a.author, a.created_at AS createdAt
       FROM annotations a JOIN samples s ON s.id = a.sample_id ORDER BY a.id`,
    )
    .iterate() as IterableIterator<HashedAnnotation>;
}

/** What this project merged from others, in merge order, each with its image's content hash. */
export function mergedAnnotationsByHash(db: Db): IterableIterator<HashedAnnotation> {
  return db
    .prepare(
      `SELECT s.content_hash AS hash, m.origin, m.origin_name AS originName, m.origin_id AS originId, m.angle, m.action, m.source, m.author, m.created_at AS createdAt
       FROM merged_annotations m JOIN samples s ON s.id = m.sample_id ORDER BY m.id`,
    )
    .iterate() as IterableIterator<HashedAnnotation>;
}

/** One merged entry to store beside the history of sample `sampleId`. */
export interface MergedAnnotation {
  sampleId: number;
  origin: string;
  originName: string;
  originId: number;
  angle: number | null;
  action: string;
  source: string;
  author: string;
  createdAt: string;
}

export interface MergedAnnotationWriter {
  /** The samples with this content, lowest id first. */
  samplesWithHash(contentHash: string): number[];
  /** Stores an entry; false when it was merged before (same origin and id). */
  insert(entry: MergedAnnotation, mergedAt: string): boolean;
}

/** The writes of one merge, statements prepared once; the caller runs them in one transaction. */
export function mergedAnnotationWriter(db: Db): MergedAnnotationWriter {
  const sampleByHash = db.prepare('SELECT id FROM samples WHERE content_hash = ? ORDER BY id').pluck();
  const insert = db.prepare(
    `INSERT INTO merged_annotations (sample_id, origin, origin_name, origin_id, angle, action, source, author, created_at, merged_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, origin_id) DO NOTHING`,
  );
  return {
    samplesWithHash: (contentHash) => sampleByHash.all(contentHash) as number[],
    insert: (e, mergedAt) => insert.run(e.sampleId, e.origin, e.originName, e.originId, e.angle, e.action, e.source, e.author, e.createdAt, mergedAt).changes > 0,
  };
}
