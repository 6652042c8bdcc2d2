import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Project } from '../../src/main/store/project';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('opening an empty file is refused and leaves it empty (it used to become a project)', () => {
  const file = path.join(dir, 'notes.txt');
  fs.writeFileSync(file, '');
  assert.throws(() => Project.open(file), /not a Farpoint project: .*notes\.txt is an empty file/);
  assert.equal(fs.statSync(file).size, 0);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('notes.txt')), ['notes.txt'], 'no -wal or -shm left behind');
});

test("opening another program's SQLite database is refused without writing a byte to it", () => {
  const file = path.join(dir, 'inventory.db');
  const other = new Database(file);
  other.exec("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada')");
  other.close();
  const before = sha(file);
  assert.throws(() => Project.open(file), /not a Farpoint project: .*inventory\.db is a SQLite database of another program \(tables people\)/);
  assert.throws(() => Project.open(file, { create: true }), /another program/);
  assert.equal(sha(file), before, 'the file is byte for byte unchanged (not even switched to WAL)');
});

test('a folder or a device is refused by name', () => {
  assert.throws(() => Project.open(dir), /not a Farpoint project: .* is a folder/);
  assert.throws(() => Project.open('/dev/null'), /not a Farpoint project: \/dev\/null is not a regular file/);
  assert.equal(fs.existsSync('/dev/null-journal') || fs.existsSync('/dev/null-wal'), false);
});

test('create still takes over the zero-byte file an interrupted create leaves', () => {
  const file = path.join(dir, 'interrupted.farpoint');
  fs.writeFileSync(file, '');
  const project = Project.create(file);
  assert.equal(project.status().samples, 0);
  project.close();
  const reopened = Project.open(file);
  assert.equal(reopened.status().samples, 0);
  reopened.close();
});
