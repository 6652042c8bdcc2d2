import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { tempDir } from '../helpers/temp';
import { runCliMeasured } from './support/peak-rss';
import { FULL_SOAK } from './support/soak-counts';

const dir = tempDir();
const MB = 1e6;
/** What the import of the four big files may hold at its worst, the whole process counted. */
const PEAK_RSS_LIMIT = 600 * MB;
/** Full size: four 1 GB files, as the probe imported. CI: four 256 MB files, still twice the limit together. */
const FILE_BYTES = FULL_SOAK ? 1000 * MB : 256 * MB;

/**
 * Four real TIFFs, each padded (truncate: sparse, no disk used) to FILE_BYTES:
 * valid images that must import, whose bytes together are far more than the
 * memory the import may use.
 */
async function writeBigTiffs(folder: string): Promise<string[]> {
  fs.mkdirSync(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < 4; i++) {
    const file = path.join(folder, `scan-${i}.tif`);
    await sharp({ create: { width: 64 + i, height: 48, channels: 3, background: { r: 60 * i, g: 100, b: 200 - 40 * i } } }).tiff().toFile(file);
    fs.truncateSync(file, FILE_BYTES);
    files.push(file);
  }
  return files;
}

test(`importing 4 × ${FILE_BYTES / MB} MB sparse TIFFs, a FIFO and a device link: peak RSS ≤ ${PEAK_RSS_LIMIT / MB} MB, the TIFFs imported, the others refused with the reason`, { timeout: 600_000 }, async () => {
  const folder = path.join(dir, 'big');
  const tiffs = await writeBigTiffs(folder);
  const fifo = path.join(folder, 'pipe.tif');
  const hasFifo = spawnSync('mkfifo', [fifo]).status === 0;
  fs.symlinkSync('/dev/zero', path.join(folder, 'zero.png'));

  const run = await runCliMeasured(['import', path.join(dir, 'big.farpoint'), folder, '--json']);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { imported: number; skipped: { path: string; reason: string }[] };
  console.log(`import of 4 × ${FILE_BYTES / MB} MB sparse TIFFs: peak RSS ${(run.peakRssBytes / MB).toFixed(0)} MB (limit ${PEAK_RSS_LIMIT / MB} MB)`);
  assert.equal(summary.imported, tiffs.length, JSON.stringify(summary.skipped));
  const reasons = Object.fromEntries(summary.skipped.map((s) => [path.basename(s.path), s.reason]));
  if (hasFifo) assert.match(reasons['pipe.tif'] ?? '', /not a regular file/);
  assert.match(reasons['zero.png'] ?? '', /not a regular file/);
  assert.ok(run.peakRssBytes <= PEAK_RSS_LIMIT, `peak RSS ${(run.peakRssBytes / MB).toFixed(0)} MB > ${PEAK_RSS_LIMIT / MB} MB`);
});

test('labels import of a CSV naming /dev/zero and a FIFO answers with the reasons, in bounded memory (it used to read /dev/zero into 8 GB, and hang on the FIFO)', { timeout: 600_000 }, async (t) => {
  const folder = path.join(dir, 'labels');
  fs.mkdirSync(path.join(folder, 'images'), { recursive: true });
  await sharp({ create: { width: 16, height: 16, channels: 3, background: '#123456' } }).png().toFile(path.join(folder, 'images', 'a.png'));
  const project = path.join(dir, 'labels.farpoint');
  const imported = await runCliMeasured(['import', project, path.join(folder, 'images')]);
  assert.equal(imported.status, 0, imported.stderr);
  const fifo = path.join(folder, 'pipe.png');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('mkfifo is not available');
  const csv = path.join(folder, 'labels.csv');
  fs.writeFileSync(csv, 'path,angle\nimages/a.png,10\n/dev/zero,20\npipe.png,30\n');

  const run = await runCliMeasured(['labels', 'import', project, csv, '--json']);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { imported: number; unmatched: { line: number; reason: string }[] };
  console.log(`labels import naming /dev/zero and a FIFO: peak RSS ${(run.peakRssBytes / MB).toFixed(0)} MB`);
  assert.equal(summary.imported, 1);
  assert.deepEqual(summary.unmatched.map((u) => u.line), [3, 4]);
  assert.match(summary.unmatched[0]!.reason, /a character device/);
  assert.match(summary.unmatched[1]!.reason, /a named pipe \(FIFO\)/);
  assert.ok(run.peakRssBytes <= PEAK_RSS_LIMIT, `peak RSS ${(run.peakRssBytes / MB).toFixed(0)} MB`);
});
