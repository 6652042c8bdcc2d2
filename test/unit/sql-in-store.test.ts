import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/cli';


/** A prepared statement, or exec with a literal or on a database (not RegExp.exec). */
const SQL_CALL = /\.prepare\(|\bdb\.exec\(|\.exec\(\s*['"`]/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|svelte)$/.test(entry.name) ? [full] : [];
  });
}

/** SQL lives in src/main/store (ARCHITECTURE.md): one module per table; no other file prepares or executes a statement. */
test('no SQL outside src/main/store', () => {
  const withSql = sourceFiles(path.join(repoRoot, 'src'))
    .map((file) => path.relative(repoRoot, file).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('src/main/store/'))
    .filter((file) => SQL_CALL.test(fs.readFileSync(path.join(repoRoot, file), 'utf8')))
    .sort();
  assert.deepEqual(withSql, [], `SQL outside src/main/store: move it into a store module (one module per table)`);
});
