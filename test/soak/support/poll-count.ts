import Database from 'better-sqlite3';
import fs from 'node:fs';

/**
 * Watches a project file another process is writing, through its own
 * read-only connection (WAL lets it read while the writer commits), and
 * resolves once `sql` (a COUNT) reaches `target` or `isDone()` says to stop.
 */
export async function waitForCount(file: string, sql: string, target: number, isDone: () => boolean): Promise<number> {
  let db: Database.Database | null = null;
  try {
    for (;;) {
      if (isDone()) return -1;
      if (!db && fs.existsSync(file)) {
        try {
          db = new Database(file, { readonly: true, fileMustExist: true });
        } catch {
          db = null;
        }
      }
      if (db) {
        try {
          const n = (db.prepare(sql).pluck().get() as number) ?? 0;
          if (n >= target) return n;
        } catch {
          // The writer has not created the table yet (migrations run first).
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  } finally {
    db?.close();
  }
}
