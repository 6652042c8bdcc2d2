import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { importFolder } from '../../src/main/import/import-folder';
import { Project } from '../../src/main/project/project';
import { writeCorpus } from '../helpers/bad-files';
import { writeImageFolder } from '../helpers/images';
import { spawnCli, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

test('import accepts every format and reports every bad file by path and reason', async () => {
  const corpus = await writeCorpus(path.join(dir, 'corpus'));
  const project = Project.create(path.join(dir, 'corpus.farpoint'));
  const summary = await importFolder(project.db, corpus.dir);

  const stored = new Map(
    (project.db.prepare('SELECT path, width, height, channels, bit_depth, format FROM samples').all() as {
      path: string; width: number; height: number; channels: number; bit_depth: number; format: string;
    }[]).map((r) => [r.path, r]),
  );
  for (const [role, file] of Object.entries(corpus.good)) assert.ok(stored.has(file), `${role} (${file}) was not imported`);
  assert.equal(stored.size, Object.keys(corpus.good).length);
  assert.equal(summary.imported, Object.keys(corpus.good).length);

  for (const bad of corpus.bad) {
    const reported = summary.skipped.find((s) => s.path === bad.path);
    assert.ok(reported, `${bad.path} was not reported`);
    assert.match(reported.reason, bad.reason, `${bad.path}: ${reported.reason}`);
  }
  assert.deepEqual(summary.duplicates, [{ path: corpus.duplicate, duplicateOf: corpus.good.original }]);
  assert.equal(summary.ignored, 1);

  const rotated = stored.get(corpus.good.exifRotated!)!;
  assert.deepEqual([rotated.width, rotated.height], [20, 60], 'EXIF orientation applied to the stored size');
  assert.equal(stored.get(corpus.good.gray16!)!.bit_depth, 16);
  assert.match(stored.get(corpus.good.cmyk!)!.format, /cmyk/);
  assert.equal(stored.get(corpus.good.alpha!)!.channels, 4);

  // Every sample has a decodable thumbnail, orientation applied.
  const thumbs = project.db.prepare('SELECT s.path, t.data FROM thumbnails t JOIN samples s ON s.id = t.sample_id').all() as { path: string; data: Buffer }[];
  assert.equal(thumbs.length, stored.size);
  const rotatedThumb = thumbs.find((t) => t.path === corpus.good.exifRotated)!;
  const meta = await sharp(rotatedThumb.data).metadata();
  assert.ok(meta.height! > meta.width!, 'thumbnail is upright');
  project.close();
});

test('re-running an import adds nothing and reports the files as already present', async () => {
  const images = path.join(dir, 'again');
  await writeImageFolder(images, 12);
  const project = Project.create(path.join(dir, 'again.farpoint'));
  const first = await importFolder(project.db, images);
  const second = await importFolder(project.db, images);
  assert.equal(first.imported, 12);
  assert.equal(second.imported, 0);
  assert.equal(second.alreadyPresent, 12);
  assert.equal((project.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n, 12);
  project.close();
});

test('an import killed with SIGKILL halfway completes on the next run without duplicate rows', async () => {
  const images = path.join(dir, 'killed');
  const count = 400;
  await writeImageFolder(images, count, 96);
  const projectPath = path.join(dir, 'killed.farpoint');
  const child = spawnCli(['import', projectPath, images]);
  // Kill as soon as the first chunk is committed, well before the end.
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; i < 1000 && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 10));
    if (!fs.existsSync(projectPath)) continue;
    let n = 0;
    try {
      const probe = Project.open(projectPath);
      n = (probe.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
      probe.close();
    } catch {
      continue; // The child is still creating the file.
    }
    if (n > 0) {
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  const partial = Project.open(projectPath);
  const before = (partial.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
  assert.equal(partial.db.pragma('integrity_check', { simple: true }), 'ok');
  partial.close();
  assert.ok(before < count, `the kill came too late to test a resume (${before} of ${count} imported)`);

  const rerun = runCli(['import', projectPath, images, '--json']);
  assert.equal(rerun.status, 0, rerun.stderr);
  const summary = JSON.parse(rerun.stdout) as { imported: number; alreadyPresent: number };
  assert.equal(summary.imported + summary.alreadyPresent, count);
  const project = Project.open(projectPath);
  const rows = project.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT content_hash) AS hashes FROM samples').get() as { n: number; hashes: number };
  assert.deepEqual(rows, { n: count, hashes: count });
  const thumbs = (project.db.prepare('SELECT COUNT(*) AS n FROM thumbnails').get() as { n: number }).n;
  assert.equal(thumbs, count);
  project.close();
});

test('importing a missing folder fails with its path', async () => {
  const project = Project.create(path.join(dir, 'missing.farpoint'));
  await assert.rejects(importFolder(project.db, path.join(dir, 'no-such-folder')), /folder not found: .*no-such-folder/);
  fs.writeFileSync(path.join(dir, 'a-file'), 'x');
  await assert.rejects(importFolder(project.db, path.join(dir, 'a-file')), /not a folder/);
  project.close();
});
