import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateDemoImages } from '../../src/main/stages/demo/generate-demo';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { importLabels } from '../../src/main/stages/labels/import-labels';
import { readSampleAttribute } from '../../src/main/store/sample-attributes';
import { parseCsv } from '../../src/main/stages/labels/parse-csv';
import { Project } from '../../src/main/store/project';
import { updateSettings } from '../../src/main/store/settings';
import { runCli } from '../helpers/cli';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function labels(project: Project): Map<string, { angle: number; source: string }> {
  const rows = project.db
    .prepare('SELECT s.path, l.angle, l.source FROM current_labels l JOIN samples s ON s.id = l.sample_id')
    .all() as { path: string; angle: number; source: string }[];
  return new Map(rows.map((r) => [path.basename(r.path), { angle: r.angle, source: r.source }]));
}

test('parseCsv keeps quoted commas, quotes and line breaks, and numbers records by their first line', () => {
  const parsed = parseCsv('\ufeffpath,angle\r\n"a,b.png",1\n\n"multi\nline.png",2\n"say ""hi"".png",3\n"open,4\n');
  assert.deepEqual(
    parsed.records.map((r) => [r.line, r.fields]),
    [
      [1, ['path', 'angle']],
      [2, ['a,b.png', '1']],
      [4, ['multi\nline.png', '2']],
      [6, ['say "hi".png', '3']],
    ],
  );
  assert.deepEqual(parsed.problems, [{ line: 7, reason: 'a quoted field is never closed' }]);
});

test('a CSV with bad rows imports every good row whole and names each bad row by line', async () => {
  const images = path.join(dir, 'bad-rows', 'images');
  const files = await writeImageFolder(images, 8, 24);
  const project = Project.create(path.join(dir, 'bad-rows', 'p.farpoint'));
  await importFolder(project.db, images);
  // A copy of img-0005 outside the imported folder: matched by content, not by path.
  const moved = path.join(dir, 'bad-rows', 'elsewhere', 'renamed.png');
  fs.mkdirSync(path.dirname(moved), { recursive: true });
  fs.copyFileSync(files[5]!, moved);
  const stranger = path.join(dir, 'bad-rows', 'stranger.png');
  fs.writeFileSync(stranger, 'not in the project');

  const csv = path.join(dir, 'bad-rows', 'labels.csv');
  fs.writeFileSync(
    csv,
    [
      'path,angle_deg,object_type', // 1
      'images/img-0000.png,10,bolt', // 2 relative to the CSV
      `${files[1]},370,key`, // 3 absolute; wraps to 10
      'images/img-0002.png,north,bolt', // 4 angle not a number
      ',45,bolt', // 5 empty path
      'images/img-0003.png,20', // 6 too few fields: must not import half a row
      'images/missing.png,30,bolt', // 7 no sample, no file
      'stranger.png,40,bolt', // 8 a file, but not in the project
      'elsewhere/renamed.png,-90,arrow', // 9 matched by hash → 270
      'images/img-0000.png,99,bolt', // 10 second row for the same sample
      'images/img-0004.png,,bolt', // 11 empty angle: an unlabeled sample, skipped
      '"images/img-0006.png,7,bolt', // 12 unterminated quote
    ].join('\n'),
  );
  const summary = importLabels(project.db, csv, 'tester');
  assert.equal(summary.imported, 3);
  assert.equal(summary.matchedByHash, 1);
  assert.deepEqual(summary.attributes, ['object_type']);
  assert.deepEqual(summary.malformed.map((p) => p.line), [4, 5, 6, 10, 12]);
  assert.equal(summary.withoutAngle, 1);
  assert.match(summary.malformed[0]!.reason, /angle 'north' is not a number/);
  assert.match(summary.malformed[2]!.reason, /has 2 fields, the header has 3/);
  assert.match(summary.malformed[3]!.reason, /same sample as line 2/);
  assert.deepEqual(summary.unmatched.map((p) => p.line), [7, 8]);
  assert.match(summary.unmatched[0]!.reason, /cannot be matched by content: file not found/);
  assert.match(summary.unmatched[1]!.reason, /or the same content/);

  const now = labels(project);
  assert.deepEqual([...now.keys()].sort(), ['img-0000.png', 'img-0001.png', 'img-0005.png']);
  assert.deepEqual(now.get('img-0000.png'), { angle: 10, source: 'imported' });
  assert.equal(now.get('img-0001.png')!.angle, 10);
  assert.equal(now.get('img-0005.png')!.angle, 270);
  // Attributes only for imported rows: the half row on line 6 left nothing behind.
  const types = readSampleAttribute(project.db, 'object_type');
  assert.equal(types.size, 3);
  assert.deepEqual([...types.values()].sort(), ['arrow', 'bolt', 'key']);

  const again = importLabels(project.db, csv, 'tester');
  assert.equal(again.imported, 0);
  assert.equal(again.unchanged, 3);
  assert.equal((project.db.prepare("SELECT COUNT(*) AS n FROM annotations WHERE source = 'imported'").get() as { n: number }).n, 3);
  project.close();
});

test('axial projects store imported angles on the half circle; a headerless CSV reads as path,angle', async () => {
  const images = path.join(dir, 'axial', 'images');
  await writeImageFolder(images, 2, 16);
  const project = Project.create(path.join(dir, 'axial', 'p.farpoint'));
  await importFolder(project.db, images);
  updateSettings(project.db, { angleMode: 'axial' });
  const csv = path.join(dir, 'axial', 'labels.csv');
  fs.writeFileSync(csv, 'images/img-0000.png,200\nimages/img-0001.png,-30\n');
  const summary = importLabels(project.db, csv, 'tester');
  assert.equal(summary.imported, 2);
  assert.deepEqual([...labels(project).values()].map((l) => l.angle).sort((a, b) => a - b), [20, 150]);
  project.close();
});

test('a header without an angle column is refused by name, and nothing is written', async () => {
  const project = Project.create(path.join(dir, 'no-angle.farpoint'));
  const csv = path.join(dir, 'no-angle.csv');
  fs.writeFileSync(csv, 'path,rotation\na.png,1\n');
  assert.throws(() => importLabels(project.db, csv, 'tester'), /line 1: the header 'path,rotation' lacks an angle column/);
  assert.throws(() => importLabels(project.db, path.join(dir, 'nope.csv'), 'tester'), /CSV file not found: .*nope\.csv/);
  project.close();
});

test('`farpoint labels import` imports the demo generator’s angles.csv completely', async () => {
  const demo = path.join(dir, 'demo');
  const images = await generateDemoImages(demo, { scale: 0.01 });
  const projectFile = path.join(dir, 'demo.farpoint');
  const project = Project.create(projectFile);
  await importFolder(project.db, path.join(demo, 'images'));
  project.close();
  const run = runCli(['labels', 'import', projectFile, path.join(demo, 'angles.csv'), '--json']);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { imported: number; unmatched: unknown[]; malformed: unknown[]; attributes: string[] };
  assert.equal(summary.imported, images.length);
  assert.deepEqual(summary.unmatched, []);
  assert.deepEqual(summary.malformed, []);
  assert.deepEqual(summary.attributes, ['object_type', 'item']);
  const bad = runCli(['labels', 'export', projectFile, 'x.csv']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown subcommand 'export'/);
});
