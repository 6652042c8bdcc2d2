import type { ImportSummary } from '../../shared/domain';
import { writeOrExplain, type Db } from './database';

/** Records that an import of `folder` began; its id, for finishImportRun. */
export function startImportRun(db: Db, folder: string): number {
  return Number(
    writeOrExplain(() => db.prepare('INSERT INTO import_runs (folder, started_at) VALUES (?, ?)').run(folder, new Date().toISOString())).lastInsertRowid,
  );
}

/** Stores what a finished import did; an interrupted one keeps no summary. */
export function finishImportRun(db: Db, runId: number, summary: ImportSummary): void {
  writeOrExplain(() => db.prepare('UPDATE import_runs SET finished_at = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify(summary), runId));
}

/** The summary of the latest import that finished, or null. */
export function lastImportSummary(db: Db): ImportSummary | null {
  const raw = db.prepare('SELECT summary FROM import_runs WHERE summary IS NOT NULL ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
  return raw ? (JSON.parse(raw) as ImportSummary) : null;
}
