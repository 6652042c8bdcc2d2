import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/**
 * A fresh temporary folder, removed when the test file's process exits.
 * Not with node:test's after(): called inside a before() hook, that removed
 * the folder before the file's tests ran, and a compute worker opening the
 * project by its path then found no file.
 */
export function tempDir(prefix = 'farpoint-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (made.length === 0) process.once('exit', () => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  made.push(dir);
  return dir;
}
