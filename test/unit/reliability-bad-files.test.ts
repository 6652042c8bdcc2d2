import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { writeCorpus } from '../helpers/bad-files';
import { repoRoot } from '../helpers/cli';
import { writeDistinctPng } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { writeExtraCorpus, type ExtraCorpus } from '../soak/support/more-bad-files';

const dir = tempDir();

interface StoredSample {
  path: string;
  width: number;
  height: number;
  bit_depth: number;
  format: string;
  thumb: Buffer | null;
}

function storedSamples(project: Project): Map<string, StoredSample> {
  const rows = project.db
    .prepare('SELECT s.path, s.width, s.height, s.bit_depth, s.format, t.data AS thumb FROM samples s LEFT JOIN thumbnails t ON t.sample_id = s.id')
    .all() as StoredSample[];
  return new Map(rows.map((r) => [r.path, r]));
}

test('animated images, 16-bit TIFF and RGB PNG, lying extensions, control characters and long names import; bombs and truncations are reported; a FIFO does not hang the import', async () => {
  const extra = await writeExtraCorpus(path.join(dir, 'extra'));
  const base = await writeCorpus(path.join(dir, 'extra', 'base-corpus'));
  const project = Project.create(path.join(dir, 'extra.farpoint'));
  try {
    const summary = await importFolder(project.db, extra.dir);
    const stored = storedSamples(project);
    // The base corpus's own figures are checked by import.test.ts; here they must simply import alongside.
    const goods: ExtraCorpus['good'][number][] = [...extra.good];
    for (const good of [...goods, ...Object.values(base.good).map((p) => ({ path: p }))]) {
      const row = stored.get(good.path);
      assert.ok(row, `${JSON.stringify(good.path)} was not imported; skipped: ${JSON.stringify(summary.skipped.find((s) => s.path === good.path))}`);
      assert.ok(row.thumb && (await sharp(row.thumb).metadata()).width, `${good.path}: no decodable thumbnail`);
    }
    for (const good of goods) {
      const row = stored.get(good.path)!;
      assert.deepEqual([row.width, row.height], [good.width, good.height], `${good.path}: stored size`);
      if (good.bitDepth) assert.equal(row.bit_depth, good.bitDepth, `${good.path}: bit depth`);
      if (good.format) assert.match(row.format, good.format, `${good.path}: format`);
    }
    for (const bad of [...extra.bad, ...base.bad]) {
      const reported = summary.skipped.find((s) => s.path === bad.path);
      assert.ok(reported, `${bad.path} was not reported`);
      assert.match(reported.reason, bad.reason, `${bad.path}: ${reported.reason}`);
      assert.equal(stored.has(bad.path), false, `${bad.path} was imported`);
    }
    for (const duplicate of [...extra.duplicates, { path: base.duplicate, duplicateOf: base.good.original! }]) {
      assert.ok(summary.duplicates.some((d) => d.path === duplicate.path && d.duplicateOf === duplicate.duplicateOf), `${duplicate.path} not reported as a duplicate`);
    }
    for (const inert of extra.inert) assert.equal(stored.has(inert), false, `${inert} was imported`);
    const tried = extra.good.length + extra.bad.length + extra.duplicates.length + extra.inert.length + Object.keys(base.good).length + base.bad.length + 1;
    console.log(`bad files: ${tried} files tried (${extra.bad.length + base.bad.length} bad, all reported by path and reason); ${stored.size} imported`);
  } finally {
    project.close();
  }
});

test('a file name that is not valid UTF-8 does not stop the import, and is accounted for', async () => {
  const folder = path.join(dir, 'bytes');
  fs.mkdirSync(folder);
  await writeDistinctPng(path.join(folder, 'plain.png'), 41);
  // Linux allows any bytes but '/' and NUL in a name; Node turns invalid UTF-8 into U+FFFD when listing.
  const rawName = Buffer.concat([Buffer.from(`${folder}/latin1-`), Buffer.from([0xe9, 0xff]), Buffer.from('.png')]);
  await writeDistinctPng(path.join(folder, 'other.png'), 42);
  fs.renameSync(path.join(folder, 'other.png'), rawName);
  const project = Project.create(path.join(dir, 'bytes.farpoint'));
  try {
    const summary = await importFolder(project.db, folder);
    const odd = summary.skipped.find((s) => s.path.includes('latin1-'));
    const imported = (project.db.prepare("SELECT COUNT(*) FROM samples WHERE path LIKE '%latin1-%'").pluck().get() as number) === 1;
    assert.ok(imported || odd, 'the file with a non-UTF-8 name was neither imported nor reported');
    console.log(`non-UTF-8 name: ${imported ? 'imported' : `reported: ${odd!.path} (${odd!.reason})`}`);
  } finally {
    project.close();
  }
});

test('files and folders the user cannot read (the import run as an unprivileged user): reported by path as permission denied, the rest imported', async (t) => {
  const folder = path.join(dir, 'perm');
  await writeDistinctPng(path.join(folder, 'readable.png'), 51);
  await writeDistinctPng(path.join(folder, 'locked.png'), 52);
  await writeDistinctPng(path.join(folder, 'locked-folder', 'inside.png'), 53);
  fs.chmodSync(path.join(folder, 'locked.png'), 0o000);
  fs.chmodSync(path.join(folder, 'locked-folder'), 0o000);
  const isRoot = process.getuid?.() === 0;
  const projectDir = path.join(dir, 'perm-project');
  fs.mkdirSync(projectDir, { mode: 0o777 });
  fs.chmodSync(projectDir, 0o777);
  // Root reads everything, so as root the import runs as 'nobody' (uid 65534) in a child process.
  // mkdtemp folders are private (0700): let 'nobody' walk down to the images.
  for (let d = folder; d !== path.dirname(dir); d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o755);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/main/doors/cli/main.ts'), 'import', path.join(projectDir, 'p.farpoint'), folder, '--json'], {
    encoding: 'utf8',
    cwd: repoRoot,
    env: { ...process.env, HOME: projectDir, TMPDIR: projectDir },
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
    timeout: 120_000,
  });
  if (isRoot && run.error) {
    t.skip(`cannot run a child process as nobody here: ${run.error.message}`);
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { imported: number; skipped: { path: string; reason: string }[] };
  assert.equal(summary.imported, 1);
  assert.deepEqual(
    summary.skipped.map((s) => [path.relative(folder, s.path), s.reason]).sort(),
    [
      ['locked-folder', 'folder unreadable: EACCES'],
      ['locked.png', 'permission denied'],
    ],
  );
});
