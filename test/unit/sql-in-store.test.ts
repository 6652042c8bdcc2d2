import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/cli';

/**
 * SQL lives in src/main/store (ARCHITECTURE.md): one module per table. These
 * files outside it still run SQL of their own; the list only shrinks. Moving a
 * file's SQL into a store module means deleting its line here (the test fails
 * while a listed file no longer needs its place).
 */
const stillRunningSql = [
  'src/main/stages/train/pixels.ts',
];

/** A prepared statement, or exec with a literal or on a database (not RegExp.exec). */
const SQL_CALL = /\.prepare\(|\bdb\.exec\(|\.exec\(\s*['"`]/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|svelte)$/.test(entry.name) ? [full] : [];
  });
}

test('no SQL outside src/main/store but the listed files, and the list only shrinks', () => {
  const withSql = sourceFiles(path.join(repoRoot, 'src'))
    .map((file) => path.relative(repoRoot, file).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('src/main/store/'))
    .filter((file) => SQL_CALL.test(fs.readFileSync(path.join(repoRoot, file), 'utf8')))
    .sort();
  const unlisted = withSql.filter((file) => !stillRunningSql.includes(file));
  assert.deepEqual(unlisted, [], `SQL outside src/main/store: move it into a store module (one module per table)`);
  const done = stillRunningSql.filter((file) => !withSql.includes(file));
  assert.deepEqual(done, [], `no SQL left in these files: delete their lines from the list`);
});
