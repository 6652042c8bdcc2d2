import type { SampleInfo } from '../../shared/domain';
import type { Db } from './database';
import { toSampleInfo, type SampleRow } from './samples';

export type SampleFilter = 'all' | 'active' | 'excluded' | 'labeled' | 'unlabeled';

/** Where a page starts: after a key (the previous page's `next`), at a position of the filter's order, or at its start. */
export type PageStart = { after: number } | { at: number } | null;

export interface SamplePage {
  /** The filter's count, on the first page only (null on later ones: counting walks an index, a key page does not). */
  total: number | null;
  samples: SampleInfo[];
  /** The key the following page starts after; null on the last page. */
  next: number | null;
}

const SELECT_SAMPLE = `
  SELECT s.id, s.path, s.content_hash, s.width, s.height, s.channels, s.bit_depth, s.format, s.status,
         l.angle AS angle, l.source AS source`;

/** The rows of each filter, joined to their labels: label-bound filters start from the (few) labels, the others walk the id order. */
const FROM: Record<SampleFilter, { from: string; where: string }> = {
  all: { from: 'FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id', where: '1' },
  active: { from: 'FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id', where: "s.status = 'active'" },
  excluded: { from: 'FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id', where: "s.status = 'excluded'" },
  labeled: { from: 'FROM current_labels l JOIN samples s ON s.id = l.sample_id', where: '1' },
  unlabeled: { from: 'FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id', where: "l.angle IS NULL AND s.status = 'active'" },
};

/**
 * A page of the filter's samples in id order, paged by key: `after` seeks
 * the primary key (or the status index) to the previous page's last id, so
 * the millionth row costs what the first does; `at` first turns a position
 * into its key (sampleKeyAt).
 */
export function listSamplePage(db: Db, filter: SampleFilter, start: PageStart, limit: number): SamplePage {
  const total = start === null ? countFiltered(db, filter) : null;
  const first = start === null ? 0 : 'after' in start ? start.after + 1 : sampleKeyAt(db, filter, start.at);
  if (first === null) return { total, samples: [], next: null };
  const rows = db.prepare(samplePageSql(filter)).all(first, limit + 1) as SampleRow[];
  const samples = rows.slice(0, limit).map(toSampleInfo);
  return { total, samples, next: rows.length > limit ? samples[samples.length - 1]!.id : null };
}

/** The statement of a key page: the filter's rows from a first id (`?`), at most `?` of them. */
export function samplePageSql(filter: SampleFilter): string {
  const { from, where } = FROM[filter];
  return `${SELECT_SAMPLE} ${from} WHERE s.id >= ? AND ${where} ORDER BY s.id LIMIT ?`;
}

/**
 * The id at `position` (0-based) of the filter's id order, null past its end:
 * where a jump of the grid's scroll bar starts its key page. SQLite's b-trees
 * keep no counts, so any position costs a walk up to it, counting by key as
 * much as stepping by OFFSET; this walks only the narrowest index's keys
 * (no row, no label join) and does it once per jump, every following page
 * being a key page. A list of every id in memory would answer at once but
 * costs a walk over all of them to rebuild, after each label or exclusion
 * for the label and status filters (`npm run bench -- sample-pages` prints
 * the three).
 */
export function sampleKeyAt(db: Db, filter: SampleFilter, position: number): number | null {
  const one = (sql: string, ...args: (string | number)[]) => (db.prepare(sql).pluck().get(...args) as number | undefined) ?? null;
  switch (filter) {
    case 'all': {
      // Samples are never deleted, so ids are usually 1..count without gaps: the position is the key.
      const count = one('SELECT COUNT(*) FROM samples')!;
      if (position >= count) return null;
      if (one('SELECT MAX(id) FROM samples') === count) return position + 1;
      return one('SELECT id FROM samples ORDER BY id LIMIT 1 OFFSET ?', position);
    }
    case 'active':
    case 'excluded':
      return one('SELECT id FROM samples WHERE status = ? ORDER BY id LIMIT 1 OFFSET ?', filter, position);
    case 'labeled':
      return one('SELECT sample_id FROM current_labels ORDER BY sample_id LIMIT 1 OFFSET ?', position);
    case 'unlabeled':
      return unlabeledKeyAt(db, position);
  }
}

/**
 * The unlabeled active sample at `position`: the active one at that position
 * (the status index alone), then forward past as many unlabeled ones as
 * labeled ones came before it. Labels are an expert's work, so they are few
 * next to the pool and that step is short.
 */
function unlabeledKeyAt(db: Db, position: number): number | null {
  const labeled = db.prepare("SELECT l.sample_id FROM current_labels l JOIN samples s ON s.id = l.sample_id WHERE s.status = 'active' ORDER BY l.sample_id").pluck().all() as number[];
  const isLabeled = new Set(labeled);
  const activeAt = db.prepare("SELECT id FROM samples WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET ?").pluck();
  const key = activeAt.get(position) as number | undefined;
  if (key === undefined) return null;
  // `position` active samples come before `key`; the labeled ones among them are owed as unlabeled ones from `key` on.
  let owed = countBelow(labeled, key);
  // Enough rows to pay what is owed, whatever labeled ones lie among them.
  const walk = owed + 1 + (labeled.length - countBelow(labeled, key));
  for (const id of db.prepare("SELECT id FROM samples WHERE status = 'active' AND id >= ? ORDER BY id LIMIT ?").pluck().iterate(key, walk) as IterableIterator<number>) {
    if (isLabeled.has(id)) continue;
    if (owed === 0) return id;
    owed--;
  }
  return null;
}

/** Ids in the sorted `ids` below `key`. */
function countBelow(ids: readonly number[], key: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The filter's total without joining every sample to the label view:
 * counting from the (few) labels' side and the status index instead.
 */
export function countFiltered(db: Db, filter: SampleFilter): number {
  const count = (sql: string, ...args: string[]) => db.prepare(sql).pluck().get(...args) as number;
  const labeledActive = () => count("SELECT COUNT(*) FROM current_labels l JOIN samples s ON s.id = l.sample_id WHERE s.status = 'active'");
  switch (filter) {
    case 'all':
      return count('SELECT COUNT(*) FROM samples');
    case 'active':
    case 'excluded':
      return count('SELECT COUNT(*) FROM samples WHERE status = ?', filter);
    case 'labeled':
      return count('SELECT COUNT(*) FROM current_labels');
    case 'unlabeled':
      return count("SELECT COUNT(*) FROM samples WHERE status = 'active'") - labeledActive();
  }
}
