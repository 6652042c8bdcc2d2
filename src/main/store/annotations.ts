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
  /** The model behind the value; the current one when absent. */
  modelId?: number | null;
}

/** Throws the 404 a request about a sample that does not exist answers with. */
export function requireSample(db: Db, sampleId: number): void {
  if (!db.prepare('SELECT 1 FROM samples WHERE id = ?').get(sampleId)) throw new FarpointError(`no sample with id ${sampleId}`, 404);
}

/** A sample's current label and its source, null where it has none. */
export function currentLabelOf(db: Db, sampleId: number): { angle: number; source: AnnotationSource } | null {
  return (db.prepare('SELECT angle, source FROM current_labels WHERE sample_id = ?').get(sampleId) as { angle: number; source: AnnotationSource } | undefined) ?? null;
}

/** Every current label as [sample id, angle or null], in no particular order. */
export function iterateCurrentAngles(db: Db): IterableIterator<[number, number | null]> {
  return db.prepare('SELECT sample_id, angle FROM current_labels').raw().iterate() as IterableIterator<[number, number | null]>;
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
      entry.modelId === undefined ? currentModelId(db) : entry.modelId,
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

export interface LabelToSave {
  sampleId: number;
  angle: number;
  queueRank: number | null;
  strategy: StrategyName | null;
  /** 'suggestion': the expert accepted a model's prediction unchanged; `modelId` names that model. */
  source?: 'hand' | 'suggestion';
  modelId?: number | null;
}

/**
 * Stores an expert's label. Labeling an excluded sample brings it back into
 * the pool: a label is a statement that the sample is worth one.
 */
export function saveHandLabel(db: Db, author: string, arg: LabelToSave): AnnotationRecord {
  const source = arg.source ?? 'hand';
  if (source === 'suggestion' && (arg.modelId === null || arg.modelId === undefined)) {
    throw new FarpointError(`an accepted suggestion for sample ${arg.sampleId} must name the model that made it (modelId)`, 400);
  }
  return durableWrite(db, () => {
    const record = appendAnnotation(db, {
      sampleId: arg.sampleId,
      angle: arg.angle,
      queueRank: arg.queueRank,
      strategy: arg.strategy,
      action: 'set',
      source,
      author,
      ...(source === 'suggestion' ? { modelId: arg.modelId } : {}),
    });
    restoreIfExcluded(db, arg.sampleId, 'labeled');
    return record;
  });
}

function restoreIfExcluded(db: Db, sampleId: number, reason: string): void {
  const changed = db.prepare("UPDATE samples SET status = 'active' WHERE id = ? AND status = 'excluded'").run(sampleId).changes;
  if (changed > 0) db.prepare("INSERT INTO status_changes (sample_id, status, reason, created_at) VALUES (?, 'active', ?, ?)").run(sampleId, reason, new Date().toISOString());
}

/** Current labels per annotator, most first. */
export function annotatorCounts(db: Db): { author: string; labels: number }[] {
  return db.prepare('SELECT author, COUNT(*) AS labels FROM current_labels GROUP BY author ORDER BY labels DESC, author').all() as { author: string; labels: number }[];
}

/** How many samples have a label now (hand, suggested, propagated or imported). */
export function labeledCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM current_labels').get() as { n: number }).n;
}

/**
 * Puts a sample's label back to what one of its history entries stored (or
 * to no label when `entryId` is null), by appending an 'undo' entry: the
 * history stays append-only. The restored value keeps that entry's source,
 * model, rank, strategy and author, so an undo gives back exactly what was
 * there. `undoes` names the entry being reverted (the audit trail's link).
 */
export function restoreLabel(db: Db, author: string, sampleId: number, entryId: number | null, undoes: number | null): AnnotationRecord {
  return durableWrite(db, () => {
    requireSample(db, sampleId);
    const target = entryId === null ? undefined : (db.prepare('SELECT * FROM annotations WHERE id = ?').get(entryId) as AnnotationRow | undefined);
    if (entryId !== null && !target) throw new FarpointError(`no annotation with id ${entryId}`, 404);
    if (target && target.sample_id !== sampleId) throw new FarpointError(`annotation ${entryId} belongs to sample ${target.sample_id}, not ${sampleId}`, 400);
    if (undoes !== null) {
      const reverted = db.prepare('SELECT sample_id FROM annotations WHERE id = ?').get(undoes) as { sample_id: number } | undefined;
      if (!reverted) throw new FarpointError(`no annotation with id ${undoes}`, 404);
      if (reverted.sample_id !== sampleId) throw new FarpointError(`annotation ${undoes} belongs to sample ${reverted.sample_id}, not ${sampleId}`, 400);
    }
    return appendAnnotation(db, {
      sampleId,
      angle: target?.angle ?? null,
      action: 'undo',
      source: target?.source ?? 'hand',
      author: target?.author ?? author,
      queueRank: target?.queue_rank ?? null,
      strategy: target?.strategy ?? null,
      modelId: target?.model_id ?? null,
      propagatedFrom: target?.propagated_from ?? null,
      undoes,
    });
  });
}

/** The entry before `entryId` in its sample's history (what that entry replaced), or null when it was the first. */
export function entryBefore(db: Db, entryId: number): { sampleId: number; before: number | null } {
  const row = db.prepare('SELECT sample_id FROM annotations WHERE id = ?').get(entryId) as { sample_id: number } | undefined;
  if (!row) throw new FarpointError(`no annotation with id ${entryId}`, 404);
  const prev = db.prepare('SELECT id FROM annotations WHERE sample_id = ? AND id < ? ORDER BY id DESC LIMIT 1').get(row.sample_id, entryId) as { id: number } | undefined;
  return { sampleId: row.sample_id, before: prev?.id ?? null };
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
         WHERE a.action = 'set' AND a.source IN ('hand', 'suggestion')
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
  return annotationHistoryReader(db)(sampleId);
}

/** A reader of one sample's history, oldest first, its statement prepared once (an export reads every sample's). */
export function annotationHistoryReader(db: Db): (sampleId: number) => AnnotationRecord[] {
  const statement = db.prepare('SELECT * FROM annotations WHERE sample_id = ? ORDER BY id');
  return (sampleId) => (statement.all(sampleId) as AnnotationRow[]).map(toAnnotationRecord);
}

/** The current angle of a sample, or undefined when it has no label: a reader with its statement prepared once. */
export function currentAngleReader(db: Db): (sampleId: number) => number | undefined {
  const statement = db.prepare('SELECT angle FROM current_labels WHERE sample_id = ?').pluck();
  return (sampleId) => statement.get(sampleId) as number | undefined;
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
