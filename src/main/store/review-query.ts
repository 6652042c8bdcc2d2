import type { ReviewCursor, ReviewFacets, ReviewFilter, ReviewPage, ReviewSample, ReviewSort, StrategyName } from '../../shared/domain';
import type { Db } from './database';
import { toSampleInfo, type SampleRow } from './samples';

/** What review mode asks for (the contract's validated argument). */
export interface ReviewQuery {
  filter: ReviewFilter;
  author?: string | undefined;
  strategy?: StrategyName | undefined;
  angleMin?: number | undefined;
  angleMax?: number | undefined;
  search: string;
  sort: ReviewSort;
  descending: boolean;
  after: ReviewCursor | null;
  limit: number;
}

/** Session state the project file does not hold: skips live in the open session's queue. */
export interface ReviewContext {
  skippedIds: readonly number[];
  /** The orientation model whose predictions are suggestions, or null. */
  regressorId: number | null;
}

interface ReviewRow extends SampleRow {
  created_at: string | null;
  author: string | null;
  strategy: StrategyName | null;
  queue_rank: number | null;
  suggestion: number | null;
  sort_key: number | string | null;
}

/** The sort column of each label-field order; id and name sort every sample in one pass. */
const LABEL_KEYS: Partial<Record<ReviewSort, string>> = { labeledAt: 'l.created_at', angle: 'l.angle', rank: 'l.queue_rank' };

const FROM = `
  FROM samples s
  LEFT JOIN current_labels l ON l.sample_id = s.id
  LEFT JOIN predictions p ON p.model_id = @regressorId AND p.sample_id = s.id`;

/**
 * The same rows when every one must have a label: starting from the (few)
 * labels instead of probing them for each of a million samples.
 */
const FROM_LABELS = `
  FROM current_labels l
  JOIN samples s ON s.id = l.sample_id
  LEFT JOIN predictions p ON p.model_id = @regressorId AND p.sample_id = s.id`;

const NEEDS_LABEL: ReadonlySet<ReviewFilter> = new Set(['labeled', 'propagated', 'adjudicated']);

const COLUMNS = `s.id, s.path, s.content_hash, s.width, s.height, s.channels, s.bit_depth, s.format, s.status,
  l.angle, l.source, l.created_at, l.author, l.strategy, l.queue_rank, p.angle AS suggestion`;

/** The latest status change of each listed row (one index probe per row of the page). */
const LATEST_CHANGE = 'SELECT status, reason, created_at AS createdAt FROM status_changes WHERE sample_id = ? ORDER BY id DESC LIMIT 1';

const SKIPPED = 's.id IN (SELECT value FROM json_each(@skipped))';

const FILTERS: Record<ReviewFilter, string> = {
  all: '1',
  unlabeled: "l.sample_id IS NULL AND s.status = 'active'",
  labeled: 'l.sample_id IS NOT NULL',
  skipped: `${SKIPPED} AND l.sample_id IS NULL AND s.status = 'active'`,
  excluded: "s.status = 'excluded'",
  propagated: "l.source = 'propagated'",
  suggested: "p.sample_id IS NOT NULL AND l.sample_id IS NULL AND s.status = 'active'",
  adjudicated: "l.source = 'adjudicated'",
};

type Params = Record<string, string | number | null>;

/** The WHERE clause for every criterion but the cursor, with its named parameters. */
function criteria(query: ReviewQuery, context: ReviewContext): { where: string[]; params: Params; labeledOnly: boolean } {
  const where = [FILTERS[query.filter]];
  const params: Params = { regressorId: context.regressorId, skipped: JSON.stringify(context.skippedIds) };
  if (query.author !== undefined) {
    where.push('l.author = @author');
    params.author = query.author;
  }
  if (query.strategy !== undefined) {
    where.push('l.strategy = @strategy');
    params.strategy = query.strategy;
  }
  if (query.angleMin !== undefined && query.angleMax !== undefined) {
    // A range whose start is above its end wraps through 0° (350°..10°).
    where.push(query.angleMin <= query.angleMax ? 'l.angle BETWEEN @angleMin AND @angleMax' : '(l.angle >= @angleMin OR l.angle <= @angleMax)');
    params.angleMin = query.angleMin;
    params.angleMax = query.angleMax;
  }
  if (query.search.trim() !== '') {
    where.push('instr(lower(s.path), lower(@search)) > 0');
    params.search = query.search.trim();
  }
  const labeledOnly = NEEDS_LABEL.has(query.filter) || query.author !== undefined || query.strategy !== undefined || query.angleMin !== undefined;
  return { where, params, labeledOnly };
}

function toReviewSample(row: ReviewRow, skipped: ReadonlySet<number>, statusChange: ReviewSample['statusChange']): ReviewSample {
  return {
    ...toSampleInfo(row),
    labeledAt: row.created_at,
    author: row.author,
    labelStrategy: row.strategy,
    queueRank: row.queue_rank,
    suggestion: row.suggestion,
    skipped: skipped.has(row.id) && row.angle === null && row.status === 'active',
    statusChange,
  };
}

/**
 * One page of review mode, paged by key (the last row's sort key and id), so
 * page 5,000 of a million samples costs what page 1 does. Label-field sorts
 * run in two phases: the labeled rows by that field, then the rest by id.
 */
export function reviewPage(db: Db, query: ReviewQuery, context: ReviewContext): ReviewPage {
  const { where, params, labeledOnly } = criteria(query, context);
  const dir = query.descending ? 'DESC' : 'ASC';
  const cmp = query.descending ? '<' : '>';
  const labelKey = LABEL_KEYS[query.sort];
  const rows: { row: ReviewRow; phase: ReviewCursor['phase'] }[] = [];
  const want = query.limit + 1;

  const run = (keyExpr: string, extra: string[], cursor: ReviewCursor | null, limit: number, from: string): ReviewRow[] => {
    const clauses = [...where, ...extra];
    const p: Params = { ...params, limit };
    const byId = keyExpr === 's.id';
    if (cursor) {
      clauses.push(byId ? `s.id ${cmp} @afterId` : `(${keyExpr}, s.id) ${cmp} (@afterKey, @afterId)`);
      if (!byId) p.afterKey = cursor.key;
      p.afterId = cursor.id;
    }
    const order = byId ? `s.id ${dir}` : `${keyExpr} ${dir}, s.id ${dir}`;
    const sql = `SELECT ${COLUMNS}, ${keyExpr} AS sort_key ${from} WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT @limit`;
    return db.prepare(sql).all(p) as ReviewRow[];
  };
  const from = labeledOnly ? FROM_LABELS : FROM;

  if (!labelKey) {
    for (const row of run(query.sort === 'name' ? 's.path' : 's.id', [], query.after, want, from)) rows.push({ row, phase: 'keyed' });
  } else {
    if (query.after?.phase !== 'rest') {
      for (const row of run(labelKey, [`${labelKey} IS NOT NULL`], query.after, want, FROM_LABELS)) rows.push({ row, phase: 'keyed' });
    }
    if (rows.length < want) {
      const cursor = query.after?.phase === 'rest' ? query.after : null;
      for (const row of run('s.id', [`${labelKey} IS NULL`], cursor, want - rows.length, from)) rows.push({ row, phase: 'rest' });
    }
  }

  const first = query.after === null;
  const facets = first ? reviewCounts(db, context) : null;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const skipped = new Set(context.skippedIds);
  const latestChange = db.prepare(LATEST_CHANGE);
  return {
    samples: page.map((r) => toReviewSample(r.row, skipped, (latestChange.get(r.row.id) as ReviewSample['statusChange'] | undefined) ?? null)),
    next: rows.length > query.limit && last ? { phase: last.phase, key: last.row.sort_key, id: last.row.id } : null,
    // With the filter alone, its count is the total; anything more is counted over the join.
    total: !facets ? null : where.length === 1 ? facets.counts[query.filter] : (db.prepare(`SELECT COUNT(*) ${from} WHERE ${where.join(' AND ')}`).pluck().get(params) as number),
    facets,
  };
}

/** Samples per filter, and current labels per annotator and per strategy. */
export function reviewCounts(db: Db, context: ReviewContext): ReviewFacets {
  const one = (sql: string, p: Params = {}) => db.prepare(sql).pluck().get(p) as number;
  const all = one('SELECT COUNT(*) FROM samples');
  const excluded = one("SELECT COUNT(*) FROM samples WHERE status = 'excluded'");
  const labeled = one('SELECT COUNT(*) FROM current_labels');
  const labeledActive = one("SELECT COUNT(*) FROM current_labels l JOIN samples s ON s.id = l.sample_id WHERE s.status = 'active'");
  const propagated = one("SELECT COUNT(*) FROM current_labels WHERE source = 'propagated'");
  const adjudicated = one("SELECT COUNT(*) FROM current_labels WHERE source = 'adjudicated'");
  const unlabeledActive = `s.status = 'active' AND NOT EXISTS (SELECT 1 FROM current_labels l WHERE l.sample_id = s.id)`;
  const skipped = one(`SELECT COUNT(*) FROM samples s WHERE s.id IN (SELECT value FROM json_each(@skipped)) AND ${unlabeledActive}`, {
    skipped: JSON.stringify(context.skippedIds),
  });
  const suggested =
    context.regressorId === null
      ? 0
      : one(`SELECT COUNT(*) FROM predictions p JOIN samples s ON s.id = p.sample_id WHERE p.model_id = @m AND ${unlabeledActive}`, { m: context.regressorId });
  const authors = db.prepare('SELECT author AS name, COUNT(*) AS count FROM current_labels GROUP BY author ORDER BY count DESC, name').all() as { name: string; count: number }[];
  const strategies = db
    .prepare('SELECT strategy AS name, COUNT(*) AS count FROM current_labels WHERE strategy IS NOT NULL GROUP BY strategy ORDER BY count DESC, name')
    .all() as { name: StrategyName; count: number }[];
  return {
    counts: { all, unlabeled: all - excluded - labeledActive, labeled, skipped, excluded, propagated, suggested, adjudicated },
    authors,
    strategies,
  };
}
