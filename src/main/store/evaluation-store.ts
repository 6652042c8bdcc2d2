import type { EvaluationRecord, EvaluationResults, EvaluationSettings, EvaluationSummary } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import { writeOrExplain, type Db } from './database';

/** Evaluation runs in the project file: settings and results as JSON, one row per run. */

export function saveEvaluation(db: Db, settings: EvaluationSettings, results: EvaluationResults): EvaluationRecord {
  const createdAt = new Date().toISOString();
  const info = writeOrExplain(() =>
    db.prepare('INSERT INTO evaluations (created_at, settings, results) VALUES (?, ?, ?)').run(createdAt, JSON.stringify(settings), JSON.stringify(results)),
  );
  return { id: Number(info.lastInsertRowid), createdAt, settings, results };
}

interface EvaluationRow {
  id: number;
  created_at: string;
  settings: string;
  results: string;
}

function toRecord(row: EvaluationRow): EvaluationRecord {
  // Runs stored before the epoch-based schedule trained a fixed number of steps: epochs 0 says so.
  const settings = { epochs: 0, ...(JSON.parse(row.settings) as Omit<EvaluationSettings, 'epochs'>) };
  return { id: row.id, createdAt: row.created_at, settings, results: JSON.parse(row.results) as EvaluationResults };
}

export function getEvaluation(db: Db, id: number): EvaluationRecord {
  const row = db.prepare('SELECT * FROM evaluations WHERE id = ?').get(id) as EvaluationRow | undefined;
  if (!row) throw new FarpointError(`no evaluation with id ${id}`, 404);
  return toRecord(row);
}

export function listEvaluationRecords(db: Db): EvaluationRecord[] {
  return (db.prepare('SELECT * FROM evaluations ORDER BY id DESC').all() as EvaluationRow[]).map(toRecord);
}

export function listEvaluations(db: Db): EvaluationSummary[] {
  return listEvaluationRecords(db).map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    strategies: r.settings.strategies,
    budgets: r.settings.budgets,
    repeats: r.settings.repeats,
    split: r.settings.split,
    test: r.results.data.test,
    best: r.results.best,
  }));
}
