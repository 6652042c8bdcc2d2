import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion } from '../../src/main/store/database';
import { latestSchemaVersion, migrations } from '../../src/main/store/migrations';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

test('a new project file is created at the latest schema with WAL and foreign keys', () => {
  const db = openDatabase(path.join(dir, 'new.farpoint'), { create: true });
  assert.equal(schemaVersion(db), latestSchemaVersion);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.ok((db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
  db.close();
});

for (const from of [0, ...migrations.slice(0, -1).map((m) => m.version)]) {
  test(`a project at schema ${from} migrates to ${latestSchemaVersion} and keeps its data`, () => {
    const file = path.join(dir, `from-${from}.farpoint`);
    const old = openDatabase(file, { create: true, targetVersion: from });
    assert.equal(schemaVersion(old), from);
    if (from >= 1) {
      old.prepare(
        `INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES ('/a.png', 'h', 1, 1, 1, 8, 'png', 'now')`,
      ).run();
    }
    old.close();
    const db = openDatabase(file);
    assert.equal(schemaVersion(db), latestSchemaVersion);
    if (from >= 1) assert.equal((db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n, 1);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
  });
}

test('opening a missing project without create fails with its path', () => {
  assert.throws(() => openDatabase(path.join(dir, 'missing.farpoint')), /project file not found: .*missing\.farpoint/);
});

test('a file that is not a project is refused by name', () => {
  const file = path.join(dir, 'not-a-db.farpoint');
  fs.writeFileSync(file, 'hello, this is text and not SQLite at all'.repeat(50));
  assert.throws(() => openDatabase(file), /not-a-db\.farpoint/);
});

test('a project from a newer Farpoint is refused instead of being damaged', () => {
  const file = path.join(dir, 'future.farpoint');
  const raw = new Database(file);
  raw.pragma(`user_version = ${latestSchemaVersion + 5}`);
  raw.close();
  assert.throws(() => openDatabase(file), /newer Farpoint/);
});

test('annotations are append-only', () => {
  const db = openDatabase(path.join(dir, 'append.farpoint'), { create: true });
  db.prepare(`INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES ('/a.png', 'h', 1, 1, 1, 8, 'png', 'now')`).run();
  db.prepare(`INSERT INTO annotations (sample_id, angle, action, source, author, created_at) VALUES (1, 10, 'set', 'hand', 't', 'now')`).run();
  assert.throws(() => db.prepare('UPDATE annotations SET angle = 20').run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM annotations').run(), /append-only/);
  db.close();
});

test('two connections writing at once both succeed (busy timeout, no lost write)', async () => {
  const file = path.join(dir, 'two.farpoint');
  const a = openDatabase(file, { create: true });
  const b = openDatabase(file);
  const insert = (db: Database.Database, i: number) =>
    db.prepare(`INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, 'h', 1, 1, 1, 8, 'png', 'now')`).run(`/p${i}`);
  for (let i = 0; i < 200; i++) insert(i % 2 ? a : b, i);
  assert.equal((a.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n, 200);
  a.close();
  b.close();
});

test('a project another connection just created is opened while its content is still only in the WAL file', () => {
  const file = path.join(dir, 'fresh-wal.farpoint');
  const creator = openDatabase(file, { create: true });
  creator.prepare(`INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES ('/w.png', 'h', 1, 1, 1, 8, 'png', 'now')`).run();
  // The creator keeps its connection open: its writes may not be checkpointed into the main file yet.
  const second = openDatabase(file);
  assert.equal((second.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n, 1);
  second.close();
  creator.close();
});
