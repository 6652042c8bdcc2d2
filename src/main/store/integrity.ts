import type { Db } from './database';

/**
 * The tables checked when a project opens: the user's own work (samples,
 * labels and their history, exclusions, settings), which nothing can
 * recompute. Thumbnails, embeddings, models and caches are checked by
 * `farpoint check`: checking every page of a large project on each open
 * would cost seconds.
 */
export const CRITICAL_TABLES = ['meta', 'samples', 'annotations', 'status_changes', 'sample_attributes'] as const;

export interface IntegrityReport {
  /** Empty when every checked table is sound. */
  problems: string[];
  /** What was checked: 'critical tables' on open, 'whole file' for farpoint check. */
  scope: 'critical tables' | 'whole file';
  seconds: number;
}

/** Problems SQLite reports, at most this many per table (the first ones say enough). */
const MAX_PROBLEMS = 10;

/**
 * SQLite's quick_check (every b-tree page of a table and its indexes is read
 * and its structure verified; index contents are not compared) over the
 * critical tables, or the whole file. A file too damaged to be queried at
 * all is reported as such instead of throwing.
 */
export function checkIntegrity(db: Db, scope: IntegrityReport['scope'] = 'critical tables'): IntegrityReport {
  const started = performance.now();
  const problems: string[] = [];
  const existing = new Set(tableNames(db, problems));
  const targets = scope === 'whole file' ? [null] : CRITICAL_TABLES.filter((t) => existing.has(t));
  for (const table of targets) {
    try {
      const sql = table === null ? `PRAGMA quick_check(${MAX_PROBLEMS})` : `PRAGMA quick_check('${table}')`;
      // SQLite may join several findings into one row, under a '*** in database main ***' heading.
      const lines = (db.prepare(sql).pluck().all() as string[]).flatMap((row) => row.split('\n')).filter((l) => l !== 'ok' && !l.startsWith('***'));
      for (const line of lines.slice(0, MAX_PROBLEMS)) problems.push(table === null ? line : `${table}: ${line}`);
    } catch (err) {
      problems.push(`${table ?? 'the file'}: ${(err as Error).message}`);
    }
  }
  return { problems, scope, seconds: (performance.now() - started) / 1000 };
}

function tableNames(db: Db, problems: string[]): string[] {
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  } catch (err) {
    problems.push(`the schema cannot be read: ${(err as Error).message}`);
    return [];
  }
}

/** One line for a user: what is damaged and what to do. */
export function describeDamage(file: string, report: IntegrityReport): string | null {
  if (report.problems.length === 0) return null;
  const first = report.problems.slice(0, 3).join('; ');
  const more = report.problems.length > 3 ? ` (and ${report.problems.length - 3} more)` : '';
  return `the project file ${file} is damaged: ${first}${more}. Run farpoint recover on it to copy everything still readable (labels first) into a new project.`;
}
