import type { Db } from './database';

/**
 * A value that differs whenever the project file may have changed since it
 * was last read: `PRAGMA data_version` moves when another connection (the
 * compute worker, the CLI) commits, and `total_changes()` counts this
 * connection's own inserts, updates and deletes. Equal values mean nothing
 * was written in between, so a cache keyed by it needs no other query; a
 * rolled-back write may move it without a change (a harmless re-read).
 */
export function changeCounter(db: Db): string {
  const version = db.pragma('data_version', { simple: true }) as number;
  const own = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  return `${version}:${own}`;
}
