import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { readImage } from '../../src/main/stages/import/read-image';
import { importLabels } from '../../src/main/stages/labels/import-labels';
import { Project } from '../../src/main/store/project';
import { runCli } from '../helpers/cli';
import { writeDistinctPng } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
// A test that used to hang (a FIFO opened for a blocking read) ends as a failure instead.
const NO_HANG = { timeout: 60_000 };

function mkfifo(file: string): boolean {
  return spawnSync('mkfifo', [file]).status === 0;
}

test('an SVG inside a .png is refused before any decoder sees it, naming what it is (it used to be rendered by librsvg)', NO_HANG, async () => {
  const folder = path.join(dir, 'svg');
  await writeDistinctPng(path.join(folder, 'secret.png'), 5);
  // The SVG pulls a file from its own folder into its rendering, as the probe's did.
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><image xlink:href="secret.png" width="64" height="64"/></svg>';
  fs.writeFileSync(path.join(folder, 'drawing.png'), svg);
  fs.writeFileSync(path.join(folder, 'bom-drawing.tif'), `\uFEFF  <?xml version="1.0"?>\n${svg}`);
  const project = Project.create(path.join(dir, 'svg.farpoint'));
  const summary = await importFolder(project.db, folder);
  const reasons = Object.fromEntries(summary.skipped.map((s) => [path.basename(s.path), s.reason]));
  assert.match(reasons['drawing.png'] ?? '', /^not a readable image: the content is SVG\/XML text \(refused, never rendered: Farpoint reads JPEG, PNG/);
  assert.match(reasons['bom-drawing.tif'] ?? '', /the content is SVG\/XML text/);
  assert.equal(summary.imported, 1, 'only secret.png');
  project.close();
});

test('content, not the name, picks the decoder, among the raster formats only: a PNG named .jpg imports as PNG, a PDF named .tif is refused', NO_HANG, async () => {
  const folder = path.join(dir, 'mismatch');
  await writeDistinctPng(path.join(folder, 'really-png.jpg'), 6);
  fs.writeFileSync(path.join(folder, 'really-pdf.tif'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n');
  const project = Project.create(path.join(dir, 'mismatch.farpoint'));
  const summary = await importFolder(project.db, folder);
  assert.deepEqual(summary.skipped.map((s) => [path.basename(s.path), s.reason]), [
    ['really-pdf.tif', 'not a readable image: its first bytes are no image signature Farpoint reads JPEG, PNG, WebP, TIFF, GIF, AVIF/HEIF'],
  ]);
  assert.equal(project.db.prepare('SELECT format FROM samples').pluck().get(), 'png');
  project.close();
});

test('a file turned into a FIFO after the scan is refused at once, never opened for a blocking read (it used to hang)', NO_HANG, async (t) => {
  const fifo = path.join(dir, 'swapped.png');
  if (!mkfifo(fifo)) return t.skip('mkfifo is not available');
  await assert.rejects(readImage(fifo), /not a regular file: a named pipe \(FIFO\)/);
});

test('a device named like an image (/dev/zero behind a .tif link) is refused without reading a byte (it used to be read until memory ran out)', NO_HANG, async () => {
  const link = path.join(dir, 'zero.tif');
  fs.symlinkSync('/dev/zero', link);
  await assert.rejects(readImage(link), /not a regular file: a character device/);
});

test('a file over the per-file limit is skipped unread with its size and the limit; the limit is an option of `farpoint import`', NO_HANG, async () => {
  const folder = path.join(dir, 'big');
  await writeDistinctPng(path.join(folder, 'small.png'), 7);
  const big = path.join(folder, 'big.png');
  await writeDistinctPng(big, 8);
  fs.truncateSync(big, 3 * 1024 * 1024); // sparse: a real PNG followed by 3 MiB of holes
  const run = runCli(['import', path.join(dir, 'big.farpoint'), folder, '--max-file-mb', '2', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { imported: number; skipped: { path: string; reason: string }[] };
  assert.equal(summary.imported, 1);
  assert.deepEqual(summary.skipped, [{ path: big, reason: 'too big: 3 MiB exceeds the 2 MiB per-file limit' }]);
  const refused = runCli(['import', path.join(dir, 'big.farpoint'), folder, '--max-file-mb', 'lots']);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /--max-file-mb must be an integer from 1 to 1048576, got 'lots'/);
});

test('a file bigger than its share of the bytes in flight is hashed a chunk at a time and decoded from the file: same hash, same thumbnail', NO_HANG, async () => {
  const folder = path.join(dir, 'streamed');
  const tiff = path.join(folder, 'padded.tif');
  fs.mkdirSync(folder, { recursive: true });
  await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 10, g: 200, b: 30 } } }).tiff().toFile(tiff);
  fs.truncateSync(tiff, 40 * 1024 * 1024); // over 256 MiB / 8 files in flight = 32 MiB
  const project = Project.create(path.join(dir, 'streamed.farpoint'));
  const summary = await importFolder(project.db, folder);
  assert.equal(summary.imported, 1, JSON.stringify(summary.skipped));
  const row = project.db.prepare('SELECT content_hash, width, height, format FROM samples').get() as { content_hash: string; width: number; height: number; format: string };
  assert.deepEqual(row, { content_hash: createHash('sha256').update(fs.readFileSync(tiff)).digest('hex'), width: 48, height: 32, format: 'tiff' });
  project.close();
});

test('labels import: rows naming /dev/zero or a FIFO are answered with the reason at once; a CSV that is a FIFO is refused (it used to hang)', NO_HANG, async (t) => {
  const folder = path.join(dir, 'labels');
  await writeDistinctPng(path.join(folder, 'images', 'a.png'), 9);
  const project = Project.create(path.join(dir, 'labels.farpoint'));
  await importFolder(project.db, path.join(folder, 'images'));
  const fifo = path.join(folder, 'pipe.png');
  if (!mkfifo(fifo)) return t.skip('mkfifo is not available');
  const csv = path.join(folder, 'labels.csv');
  fs.writeFileSync(csv, `path,angle\nimages/a.png,10\n/dev/zero,20\npipe.png,30\n`);
  const summary = importLabels(project.db, csv, 'tester');
  assert.equal(summary.imported, 1);
  assert.deepEqual(
    summary.unmatched.map((u) => [u.line, u.reason]),
    [
      [3, 'no sample has the path /dev/zero, and the file there cannot be matched by content: not a regular file: a character device'],
      [4, `no sample has the path ${fifo}, and the file there cannot be matched by content: not a regular file: a named pipe (FIFO)`],
    ],
  );
  const csvFifo = path.join(folder, 'labels-pipe.csv');
  mkfifo(csvFifo);
  assert.throws(() => importLabels(project.db, csvFifo, 'tester'), new RegExp(`cannot read the CSV ${csvFifo}: not a regular file: a named pipe`));
  project.close();
});
