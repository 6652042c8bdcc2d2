import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { FarpointError, messageOf } from '../core/errors';
import { migrate, openDatabase, schemaVersion, type Db } from './database';

/**
 * Copy order: the samples the labels refer to, then the labels and the rest
 * of the user's work, then what can be recomputed. Each table is committed on
 * its own, so a recovery that stops half-way (a full disk) has kept the
 * labels already.
 */
const FIRST = ['samples', 'annotations', 'status_changes', 'sample_attributes', 'meta', 'import_runs', 'models'];
/** Counts the new file's triggers keep as its rows are copied: copying the damaged file's would count twice. */
const DERIVED = new Set(['embedding_counts', 'sample_counts']);

export interface TableRecovery {
  table: string;
  copied: number;
  /** Rows that were read but refused by the new file (a label whose sample was lost). */
  refused: number;
  /** Read errors met (each skips the damaged stretch of the table). */
  readErrors: string[];
}

export interface RecoveryReport {
  from: string;
  to: string;
  tables: TableRecovery[];
  labelsCopied: number;
}

/** Rowid jumps tried past a damaged stretch before the rest of a table is given up. */
const MAX_SKIPS = 40;
const BATCH = 1000;

/**
 * Copies everything still readable from a damaged project into a new project
 * file `out` (which must not exist). The damaged file is opened read-only and
 * never written. A read error skips ahead by growing rowid jumps, so the rows
 * after a damaged page are still found.
 */
export function recoverProject(from: string, out: string): RecoveryReport {
  const source = path.resolve(from);
  const target = path.resolve(out);
  if (!fs.existsSync(source)) throw new FarpointError(`project file not found: ${source}`, 404);
  if (fs.existsSync(target)) throw new FarpointError(`${target} exists already: give recover a new file name, it never overwrites`, 409);
  let src: Db;
  try {
    src = new Database(source, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new FarpointError(`cannot open ${source}: ${messageOf(err)}`);
  }
  try {
    let version: number;
    let tables: string[];
    try {
      version = schemaVersion(src);
      tables = src.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    } catch (err) {
      throw new FarpointError(`cannot recover ${source}: even its list of tables is unreadable (${messageOf(err)})`);
    }
    if (version === 0) throw new FarpointError(`not a Farpoint project: ${source} has no Farpoint schema version`);
    const dst = openDatabase(target, { create: true, targetVersion: version });
    try {
      const ordered = [...FIRST.filter((t) => tables.includes(t)), ...tables.filter((t) => !FIRST.includes(t)).sort()];
      const report: RecoveryReport = { from: source, to: target, tables: [], labelsCopied: 0 };
      for (const table of ordered) if (!DERIVED.has(table)) report.tables.push(copyTable(src, dst, table));
      report.labelsCopied = report.tables.find((t) => t.table === 'annotations')?.copied ?? 0;
      migrate(dst);
      return report;
    } finally {
      dst.close();
    }
  } finally {
    src.close();
  }
}

function columnsOf(db: Db, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
}

function copyTable(src: Db, dst: Db, table: string): TableRecovery {
  const result: TableRecovery = { table, copied: 0, refused: 0, readErrors: [] };
  const wanted = new Set(columnsOf(dst, table));
  if (wanted.size === 0) return result; // a table this schema version does not have
  let columns: string[];
  try {
    columns = columnsOf(src, table).filter((c) => wanted.has(c));
  } catch (err) {
    result.readErrors.push(messageOf(err));
    return result;
  }
  const list = columns.map((c) => `"${c}"`).join(', ');
  const insert = dst.prepare(`INSERT OR REPLACE INTO "${table}" (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  let pending: unknown[][] = [];
  const flush = dst.transaction((rows: unknown[][]) => {
    for (const row of rows) {
      try {
        insert.run(row);
        result.copied++;
      } catch {
        result.refused++;
      }
    }
  });
  const take = (row: unknown[]) => {
    pending.push(row);
    if (pending.length >= BATCH) {
      flush.immediate(pending);
      pending = [];
    }
  };
  const withoutRowid = /WITHOUT\s+ROWID/i.test((src.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(table) as string | undefined) ?? '');
  if (withoutRowid) {
    // No rowid to seek past a damaged page: what comes before the first error is kept.
    try {
      for (const row of src.prepare(`SELECT ${list} FROM "${table}"`).raw().iterate() as IterableIterator<unknown[]>) take(row);
    } catch (err) {
      result.readErrors.push(messageOf(err));
    }
  } else {
    const select = src.prepare(`SELECT rowid, ${list} FROM "${table}" WHERE rowid > ? ORDER BY rowid`).raw();
    let after = -1;
    let skip = 1;
    for (let attempt = 0; attempt <= MAX_SKIPS; attempt++) {
      try {
        for (const [rowid, ...row] of select.iterate(after) as IterableIterator<unknown[]>) {
          after = Number(rowid);
          take(row);
        }
        break;
      } catch (err) {
        if (result.readErrors.length < 5) result.readErrors.push(`after rowid ${after}: ${messageOf(err)}`);
        after += skip;
        skip *= 2;
      }
    }
  }
  if (pending.length > 0) flush.immediate(pending);
  return result;
}
