import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { FarpointError, messageOf } from '../core/errors';
import { latestSchemaVersion, migrations, type Migration } from './migrations';

export type Db = Database.Database;

export const PROJECT_EXTENSION = '.farpoint';
/** How long a write waits for another process (the app and the CLI, say) before giving up with a clear message. */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  /** Create the file if missing (default false: opening a mistyped path must not make an empty project). */
  create?: boolean;
  readonly?: boolean;
  /** Migrate only up to this version (tests build files at every earlier version). */
  targetVersion?: number;
}

/** Opens (or creates) a project file with the settings every connection needs, and migrates it. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const resolved = path.resolve(file);
  const exists = fs.existsSync(resolved);
  if (!exists && !options.create) {
    throw new FarpointError(`project file not found: ${resolved}`, 404);
  }
  if (exists) refuseNonProjectFile(resolved, options.create ?? false);
  else fs.mkdirSync(path.dirname(resolved), { recursive: true });
  let db: Db;
  try {
    db = new Database(resolved, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    if (!exists) removeFailedCreate(resolved);
    throw new FarpointError(`cannot open project ${resolved}: ${messageOf(err)}`);
  }
  try {
    // Fail on a file that is not a SQLite database, with the file's name, and on another program's
    // database, before anything (even the journal mode) is written to it.
    db.pragma('schema_version');
    refuseForeignDatabase(db, resolved);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // NORMAL is durable in WAL mode against process crashes; a power cut may lose the last commits but never corrupts.
    db.pragma('synchronous = NORMAL');
    if (!options.readonly) migrate(db, options.targetVersion ?? latestSchemaVersion);
    else checkVersion(db);
  } catch (err) {
    db.close();
    if (!exists) removeFailedCreate(resolved);
    if (err instanceof FarpointError) throw err;
    const readOnly = String((err as { code?: unknown }).code).startsWith('SQLITE_CANTOPEN') ? readOnlyFolder(resolved) : null;
    if (readOnly) {
      throw new FarpointError(
        `cannot open project ${resolved}: its folder is read-only (${readOnly}), and SQLite must create its -wal and -shm files beside the project; copy the project to a writable folder`,
        423,
      );
    }
    const explained = explainSqliteFailure(err);
    const status = explained instanceof FarpointError && explained.status === 423 ? 423 : 400;
    const reason = describeSqliteError(err).replace(/; nothing was saved/, '');
    throw new FarpointError(`cannot ${exists ? 'open' : 'create'} project ${resolved}: ${reason}${exists ? '' : '; no project file was left behind'}`, status);
  }
  return db;
}

/**
 * A create that failed (a full or read-only disk) must not leave a 0-byte
 * file that later passes for a project: the file and its WAL companions are
 * removed. Only files this call created are touched.
 */
function removeFailedCreate(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/** Why the project's folder cannot be written (EROFS on a read-only disk, EACCES for a user without rights), or null. */
function readOnlyFolder(file: string): string | null {
  try {
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? messageOf(err);
  }
}

/**
 * Opening must never turn someone else's file into a project: SQLite happily
 * treats an empty file as an empty database and a device as a file, and the
 * migrations would then write Farpoint's tables into it.
 */
function refuseNonProjectFile(file: string, create: boolean): void {
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw new FarpointError(`not a Farpoint project: ${file} is a folder`, 400);
  if (!stat.isFile()) throw new FarpointError(`not a Farpoint project: ${file} is not a regular file`, 400);
  // A zero-byte file is what an interrupted create leaves, so only create may take it over.
  // In WAL mode a project another process just created can still be all in its -wal file, with a 0-byte main file.
  const walBytes = fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
  if (stat.size === 0 && walBytes === 0 && !create) throw new FarpointError(`not a Farpoint project: ${file} is an empty file`, 400);
}

/** A SQLite file with tables but no Farpoint schema version belongs to another program: never migrate it. */
function refuseForeignDatabase(db: Db, file: string): void {
  if (schemaVersion(db) !== 0) return;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name LIMIT 5").pluck().all() as string[];
  if (tables.length > 0) {
    throw new FarpointError(`not a Farpoint project: ${file} is a SQLite database of another program (tables ${tables.join(', ')})`, 400);
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkVersion(db: Db): void {
  const version = schemaVersion(db);
  if (version > latestSchemaVersion) {
    throw new FarpointError(
      `project was written by a newer Farpoint (schema ${version}, this build knows up to ${latestSchemaVersion})`,
      409,
    );
  }
}

/** Applies every pending migration, each in its own immediate transaction so two processes never migrate twice. */
export function migrate(db: Db, target: number = latestSchemaVersion): void {
  checkVersion(db);
  for (const migration of migrations) {
    if (migration.version > target) break;
    applyIfPending(db, migration);
  }
}

function applyIfPending(db: Db, migration: Migration): void {
  const apply = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    if (schemaVersion(db) >= migration.version) return;
    db.exec(migration.sql);
    db.pragma(`user_version = ${migration.version}`);
  });
  apply.immediate();
}

/** Turns SQLite's terse codes into messages a user can act on. */
export function describeSqliteError(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  const message = messageOf(err);
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY')) {
    return `the project is busy: another Farpoint process held it for more than ${BUSY_TIMEOUT_MS / 1000} s; try again when it finishes (${message})`;
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) {
    return `the project file is read-only; nothing was saved (${message})`;
  }
  if (code === 'SQLITE_FULL') return `the disk is full; nothing was saved (${message})`;
  if (code === 'SQLITE_NOTADB') return `not a Farpoint project (not a SQLite file)`;
  if (code === 'SQLITE_CORRUPT') return `the project file is damaged (${message})`;
  return message;
}

/**
 * The user-facing error for a SQLite failure: 423 for locked, read-only or
 * full (the caller can retry once that is fixed), 500 naming the damage for a
 * corrupt file; anything else comes back unchanged.
 */
export function explainSqliteFailure(err: unknown): unknown {
  if (err instanceof FarpointError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (/^SQLITE_(BUSY|READONLY|FULL|IOERR|CANTOPEN)/.test(code)) return new FarpointError(describeSqliteError(err), 423);
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return new FarpointError(`${describeSqliteError(err)}; run farpoint check on it, and farpoint recover to save what is readable`, 500);
  return err;
}

/** Runs a write; SQLite errors become user-facing FarpointErrors (423 for locked/read-only/full, so callers can retry). */
export function writeOrExplain<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw explainSqliteFailure(err);
  }
}

/**
 * A write the user is told has been saved (a label, an exclusion): run in its
 * immediate transaction with synchronous=FULL, so SQLite syncs the WAL before
 * the commit returns and an acknowledged label survives a power cut or an OS
 * crash, not only a killed process. Every other write keeps NORMAL, which
 * loses at most the last commits on power loss and never corrupts. Inside an
 * outer transaction (where SQLite refuses to change the level) the outer
 * commit decides.
 */
export function durableWrite<T>(db: Db, fn: () => T): T {
  return writeOrExplain(() => {
    if (db.inTransaction) return fn();
    db.pragma('synchronous = FULL');
    try {
      return db.transaction(fn).immediate();
    } finally {
      db.pragma('synchronous = NORMAL');
    }
  });
}
