import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

test('--help lists the commands and every command has its own --help', () => {
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  for (const name of ['demo', 'import', 'status', 'serve']) {
    assert.match(help.stdout, new RegExp(`\\b${name}\\b`));
    const own = runCli([name, '--help']);
    assert.equal(own.status, 0, `${name} --help`);
    assert.match(own.stdout, new RegExp(`Usage: farpoint ${name}`));
  }
});

test('an unknown command or option fails with a one-line reason and a non-zero code', () => {
  const unknown = runCli(['frobnicate']);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr.trim(), /^farpoint: unknown command 'frobnicate'/);
  const badOption = runCli(['status', 'x.farpoint', '--bogus']);
  assert.notEqual(badOption.status, 0);
  assert.equal(badOption.stderr.trim().split('\n').length, 1);
});

test('import then status, human and --json', async () => {
  const images = path.join(dir, 'images');
  await writeImageFolder(images, 6);
  const project = path.join(dir, 'cli.farpoint');
  const imported = runCli(['import', project, images, '--json']);
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal(JSON.parse(imported.stdout).imported, 6);
  const status = runCli(['status', project, '--json']);
  assert.equal(status.status, 0);
  const parsed = JSON.parse(status.stdout);
  assert.equal(parsed.samples, 6);
  assert.equal(parsed.labeled, 0);
  const human = runCli(['status', project]);
  assert.match(human.stdout, /samples\s+6 \(6 active, 0 excluded\)/);
});

test('status of a missing project: non-zero, one line naming the file, JSON error with --json', () => {
  const missing = path.join(dir, 'nope.farpoint');
  const res = runCli(['status', missing]);
  assert.notEqual(res.status, 0);
  assert.match(res.stderr, /project file not found: .*nope\.farpoint/);
  const json = runCli(['status', missing, '--json']);
  assert.notEqual(json.status, 0);
  assert.match(JSON.parse(json.stdout).error, /nope\.farpoint/);
});

test('demo generates a small deterministic set with true angles and an imported project', () => {
  const a = runCli(['demo', path.join(dir, 'demo-a'), '--scale', '0.02', '--json']);
  assert.equal(a.status, 0, a.stderr);
  const result = JSON.parse(a.stdout);
  assert.ok(result.images >= 20);
  assert.equal(result.import.imported, result.images);
  const b = runCli(['demo', path.join(dir, 'demo-b'), '--scale', '0.02', '--json']);
  assert.equal(fs.readFileSync(path.join(dir, 'demo-a', 'angles.csv'), 'utf8'), fs.readFileSync(path.join(dir, 'demo-b', 'angles.csv'), 'utf8'));
  assert.equal(JSON.parse(b.stdout).images, result.images);
});
