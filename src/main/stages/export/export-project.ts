import type { AnnotationSource, SampleStatus, StrategyName } from '../../../shared/domain';
import { toAnnotationRecord, type AnnotationRow } from '../../store/annotations';
import { listEvaluationRecords } from '../../store/evaluation-store';
import type { Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { csvField } from '../labels/parse-csv';

export type ExportFormat = 'csv' | 'json';

interface ExportRow {
  id: number;
  path: string;
  content_hash: string;
  status: SampleStatus;
  angle: number | null;
  source: AnnotationSource | null;
  author: string | null;
  created_at: string | null;
  queue_rank: number | null;
  strategy: StrategyName | null;
}

/** Fixed columns of the CSV; `path` and `angle_deg` are the ones `farpoint labels import` reads back. */
export const EXPORT_COLUMNS = ['path', 'angle_deg', 'content_hash', 'status', 'source', 'author', 'labeled_at', 'queue_rank', 'strategy'] as const;

const ROWS_SQL = `
  SELECT s.id, s.path, s.content_hash, s.status, l.angle, l.source, l.author, l.created_at, l.queue_rank, l.strategy
  FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id
  ORDER BY s.id`;

/**
 * Writes every sample with its current label (empty when unlabeled), who set
 * it and when, and the queue rank and strategy at labeling time. Rows are
 * streamed to `write` from one query, so a million samples never sit in
 * memory as one string. Imported CSV columns (object type...) follow the
 * fixed ones, so a round trip through `labels import` keeps them too.
 */
export function exportProject(db: Db, format: ExportFormat, write: (chunk: string) => void): { samples: number; labeled: number } {
  const attributeNames = db.prepare('SELECT DISTINCT name FROM sample_attributes ORDER BY name').pluck().all() as string[];
  const attributesOf = db.prepare('SELECT name, value FROM sample_attributes WHERE sample_id = ?').raw();
  const readAttributes = (id: number): Record<string, string> =>
    Object.fromEntries(attributesOf.all(id) as [string, string][]);
  const rows = db.prepare(ROWS_SQL).iterate() as IterableIterator<ExportRow>;
  let samples = 0;
  let labeled = 0;
  const buffer = new ChunkedWriter(write);

  if (format === 'csv') {
    buffer.push([...EXPORT_COLUMNS, ...attributeNames].map(csvField).join(',') + '\n');
    for (const r of rows) {
      samples++;
      if (r.angle !== null) labeled++;
      const attributes = attributeNames.length ? readAttributes(r.id) : {};
      const fields = [r.path, r.angle, r.content_hash, r.status, r.source, r.author, r.created_at, r.queue_rank, r.strategy, ...attributeNames.map((n) => attributes[n] ?? null)];
      buffer.push(fields.map(csvField).join(',') + '\n');
    }
    buffer.flush();
    return { samples, labeled };
  }

  const history = db.prepare('SELECT * FROM annotations WHERE sample_id = ? ORDER BY id');
  const head = { format: 'farpoint-export', version: 1, exportedAt: new Date().toISOString(), settings: readSettings(db) };
  buffer.push(JSON.stringify(head).slice(0, -1) + ',"samples":[');
  for (const r of rows) {
    if (samples > 0) buffer.push(',');
    samples++;
    if (r.angle !== null) labeled++;
    buffer.push(
      '\n' +
        JSON.stringify({
          id: r.id,
          path: r.path,
          contentHash: r.content_hash,
          status: r.status,
          angle: r.angle,
          source: r.source,
          author: r.author,
          labeledAt: r.created_at,
          queueRank: r.queue_rank,
          strategy: r.strategy,
          attributes: readAttributes(r.id),
          history: (history.all(r.id) as AnnotationRow[]).map(toAnnotationRecord),
        }),
    );
  }
  buffer.push('\n],"evaluations":' + JSON.stringify(listEvaluationRecords(db)) + '}\n');
  buffer.flush();
  return { samples, labeled };
}

/** Collects small strings and hands them on in ~1 MB pieces (one write call per row would be slow on a file). */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly write: (chunk: string) => void) {}
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
