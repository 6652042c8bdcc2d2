import { createHash } from 'node:crypto';
import type { Db } from '../../../src/main/store/database';

/** A digest of every row of every table (order-independent), to prove a project file's content did not change. */
export function hashTables(db: Db): Record<string, string> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const digests: Record<string, string> = {};
  for (const table of tables) {
    const rows = (db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]).map((row) =>
      JSON.stringify(row.map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? v.toString() : v))),
    );
    digests[table] = createHash('sha256').update(rows.sort().join('\n')).digest('hex').slice(0, 16) + `:${rows.length}`;
  }
  return digests;
}
