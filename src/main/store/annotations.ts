import { normalizeAngle } from '../../shared/angles';
import type { AnnotationRecord, AnnotationSource, SampleInfo, SampleStatus, StrategyName } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import { durableWrite, type Db } from './database';
import { getSamples } from './samples';
import { currentModelId, readSettings } from './settings';

/** A row of the annotations table as SQLite returns it. */
export interface AnnotationRow {
  id: number;
  sample_id: number;
  angle: number | null;
  action: 'set' | 'undo' | 'clear';
  source: AnnotationSource;
  author: string;
  created_at: string;
  queue_rank: number | null;
  strategy: StrategyName | null;
  model_id: number | null;
  propagated_from: number | null;
  undoes: number | null;
}

export function toAnnotationRecord(row: AnnotationRow): AnnotationRecord {
  return {
    id: row.id,
    sampleId: row.sample_id,
    angle: row.angle,
    source: row.source,
    action: row.action,
    author: row.author,
    createdAt: row.created_at,
    queueRank: row.queue_rank,
    strategy: row.strategy,
    modelId: row.model_id,
    propagatedFrom: row.propagated_from,
    undoes: row.undoes,
  };
}

export interface NewAnnotation {
  sampleId: number;
  angle: number | null;
  action: AnnotationRecord['action'];
  source: AnnotationSource;
  author: string;
  queueRank?: number | null;
  strategy?: StrategyName | null;
  propagatedFrom?: number | null;
  undoes?: number | null;
}

function requireSample(db: Db, sampleId: number): void {
  if (!db.prepare('SELECT 1 FROM samples WHERE id = ?').get(sampleId)) throw new FarpointError(`no sample with id ${sampleId}`, 404);
}

/** Appends one history entry. The caller's transaction (if any) makes batches atomic. */
export function appendAnnotation(db: Db, entry: NewAnnotation): AnnotationRecord {
  requireSample(db, entry.sampleId);
  const mode = readSettings(db).angleMode;
  const angle = entry.angle === null ? null : normalizeAngle(entry.angle, mode);
  const info = db
    .prepare(
      `INSERT INTO annotations (sample_id, angle, action, source, author, created_at, queue_rank, strategy, model_id, propagated_from, undoes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      entry.sampleId,
      angle,
      entry.action,
      entry.source,
      entry.author,
      new Date().toISOString(),
      entry.queueRank ?? null,
      entry.strategy ?? null,
      currentModelId(db),
      entry.propagatedFrom ?? null,
      entry.undoes ?? null,
    );
  return annotationById(db, Number(info.lastInsertRowid));
}

export function annotationById(db: Db, id: number): AnnotationRecord {
  const row = db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as AnnotationRow | undefined;
  if (!row) throw new FarpointError(`no annotation with id ${id}`, 404);
  return toAnnotationRecord(row);
}

export function saveHandLabel(
  db: Db,
  author: string,
  arg: { sampleId: number; angle: number; queueRank: number | null; strategy: StrategyName | null },
): AnnotationRecord {
  return durableWrite(db, () => appendAnnotation(db, { ...arg, action: 'set', source: 'hand', author }));
}

export function clearLabel(db: Db, author: string, sampleId: number, source: AnnotationSource = 'hand'): AnnotationRecord {
  return durableWrite(db, () => appendAnnotation(db, { sampleId, angle: null, action: 'clear', source, author }));
}

/**
 * Reverts the latest hand 'set' that has not been undone yet: appends an entry
 * restoring the value the sample had before it. Repeated undo walks back.
 */
export function undoLastHandLabel(db: Db, author: string): AnnotationRecord | null {
  return durableWrite(db, () => {
    const target = db
      .prepare(
        `SELECT * FROM annotations a
         WHERE a.action = 'set' AND a.source = 'hand'
           AND NOT EXISTS (SELECT 1 FROM annotations u WHERE u.undoes = a.id)
         ORDER BY a.id DESC LIMIT 1`,
      )
      .get() as AnnotationRow | undefined;
    if (!target) return null;
    const before = db
      .prepare('SELECT angle, source FROM annotations WHERE sample_id = ? AND id < ? ORDER BY id DESC LIMIT 1')
      .get(target.sample_id, target.id) as { angle: number | null; source: AnnotationSource } | undefined;
    return appendAnnotation(db, {
      sampleId: target.sample_id,
      angle: before?.angle ?? null,
      action: 'undo',
      source: before?.source ?? 'hand',
      author,
      undoes: target.id,
    });
  });
}

export function annotationHistory(db: Db, sampleId: number): AnnotationRecord[] {
  requireSample(db, sampleId);
  const rows = db.prepare('SELECT * FROM annotations WHERE sample_id = ? ORDER BY id').all(sampleId) as AnnotationRow[];
  return rows.map(toAnnotationRecord);
}

export function setSampleStatus(db: Db, ids: readonly number[], status: SampleStatus, reason: string | null = null): { changed: number; samples: SampleInfo[] } {
  return durableWrite(db, () => {
    for (const id of ids) requireSample(db, id);
    const update = db.prepare('UPDATE samples SET status = ? WHERE id = ? AND status != ?');
    const log = db.prepare('INSERT INTO status_changes (sample_id, status, reason, created_at) VALUES (?, ?, ?, ?)');
    const now = new Date().toISOString();
    let changed = 0;
    for (const id of ids) {
      if (update.run(status, id, status).changes > 0) {
        changed++;
        log.run(id, status, reason, now);
      }
    }
    return { changed, samples: getSamples(db, ids.slice(0, 1000)) };
  });
}
