import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { AnnotationRecord, EvaluationResults } from '../../src/shared/domain';
import { saveEvaluation } from '../../src/main/store/evaluation-store';
import { evaluationSettingsSchema } from '../../src/shared/contract/evaluation-requests';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { importLabels } from '../../src/main/stages/labels/import-labels';
import { parseCsv } from '../../src/main/stages/labels/parse-csv';
import { readSampleAttribute } from '../../src/main/store/sample-attributes';
import { clearLabel, saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { runCli } from '../helpers/cli';
import { writeDistinctPng, writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function currentLabels(project: Project): Record<string, number> {
  const rows = project.db.prepare('SELECT s.path, l.angle FROM current_labels l JOIN samples s ON s.id = l.sample_id').all() as { path: string; angle: number }[];
  return Object.fromEntries(rows.map((r) => [path.basename(r.path), r.angle]));
}

test('export CSV and JSON carry every sample, and the CSV round-trips through labels import', async () => {
  const images = path.join(dir, 'images');
  await writeImageFolder(images, 6, 20);
  await writeDistinctPng(path.join(images, 'odd, "name".png'), 77, 20);
  const project = Project.create(path.join(dir, 'source.farpoint'));
  await importFolder(project.db, images);
  fs.writeFileSync(
    path.join(dir, 'truth.csv'),
    'path,angle,object_type\nimages/img-0000.png,12.5,bolt\nimages/img-0001.png,300,key\n"images/odd, ""name"".png",45,bolt\nimages/img-0002.png,90,key\n',
  );
  assert.equal(importLabels(project.db, path.join(dir, 'truth.csv'), 'importer').imported, 4);
  const id = (name: string) => (project.db.prepare('SELECT id FROM samples WHERE path = ?').pluck().get(path.join(images, name)) as number);
  saveHandLabel(project.db, 'alice', { sampleId: id('img-0003.png'), angle: 181, queueRank: 3, strategy: 'fps' });
  saveHandLabel(project.db, 'alice', { sampleId: id('img-0001.png'), angle: 301, queueRank: 0, strategy: 'typiclust' });
  clearLabel(project.db, 'alice', id('img-0002.png'));
  const settings = evaluationSettingsSchema.parse({ budgets: [1], repeats: 1 });
  const results = { data: { test: 1 }, curves: [], largestBudget: null, labelsSaved: [], best: { plain: null, balanced: null }, backend: 'test', seconds: 0 } as unknown as EvaluationResults;
  saveEvaluation(project.db, settings, results);
  const before = currentLabels(project);
  project.close();

  const csvFile = path.join(dir, 'out', 'export.csv');
  fs.mkdirSync(path.dirname(csvFile));
  const csvRun = runCli(['export', path.join(dir, 'source.farpoint'), '--format', 'csv', '--out', csvFile, '--json']);
  assert.equal(csvRun.status, 0, csvRun.stderr);
  assert.deepEqual(JSON.parse(csvRun.stdout), { file: csvFile, format: 'csv', samples: 7, labeled: 4 });
  assert.equal(fs.existsSync(`${csvFile}.partial`), false);
  const parsed = parseCsv(fs.readFileSync(csvFile, 'utf8'));
  // The first line states the angle convention as a comment; the header follows.
  assert.match(parsed.records[0]!.fields[0]!, /^# farpoint export; angle_deg in degrees; 0 = up/);
  assert.deepEqual(parsed.records[1]!.fields, ['path', 'angle_deg', 'content_hash', 'status', 'source', 'author', 'labeled_at', 'queue_rank', 'strategy', 'frame', 'study_uid', 'series_uid', 'sop_uid', 'object_type']);
  assert.equal(parsed.records.length, 9);
  const byName = new Map(parsed.records.slice(2).map((r) => [path.basename(r.fields[0]!), r.fields]));
  const hand = byName.get('img-0003.png')!;
  assert.deepEqual([hand[1], hand[3], hand[4], hand[5], hand[7], hand[8]], ['181', 'active', 'hand', 'alice', '3', 'fps']);
  assert.match(hand[2]!, /^[0-9a-f]{64}$/);
  assert.match(hand[6]!, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(byName.get('img-0001.png')!.slice(4, 9).filter((_, i) => i !== 2), ['hand', 'alice', '0', 'typiclust']);
  assert.equal(byName.get('img-0002.png')![1], '', 'a cleared label exports as no angle');
  assert.equal(byName.get('odd, "name".png')![13], 'bolt');

  // Round trip: a fresh project of the same images gets the same labels and columns back.
  const copy = Project.create(path.join(dir, 'copy.farpoint'));
  await importFolder(copy.db, images);
  const summary = importLabels(copy.db, csvFile, 'roundtrip');
  assert.deepEqual(summary.malformed, []);
  assert.deepEqual(summary.unmatched, []);
  assert.equal(summary.imported, 4);
  assert.equal(summary.withoutAngle, 3);
  assert.deepEqual(summary.attributes, ['object_type']);
  assert.deepEqual(currentLabels(copy), before);
  assert.equal(readSampleAttribute(copy.db, 'object_type').size, 4);
  copy.close();

  const jsonRun = runCli(['export', path.join(dir, 'source.farpoint'), '--format', 'json']);
  assert.equal(jsonRun.status, 0, jsonRun.stderr);
  const doc = JSON.parse(jsonRun.stdout) as {
    format: string;
    samples: { path: string; angle: number | null; attributes: Record<string, string>; history: AnnotationRecord[] }[];
    evaluations: { id: number; settings: { budgets: number[] } }[];
  };
  assert.equal(doc.format, 'farpoint-export');
  assert.equal(doc.samples.length, 7);
  const key = doc.samples.find((s) => s.path.endsWith('img-0001.png'))!;
  assert.deepEqual(key.history.map((h) => [h.source, h.angle, h.author]), [['imported', 300, 'importer'], ['hand', 301, 'alice']]);
  assert.deepEqual(key.attributes, { object_type: 'key' });
  const cleared = doc.samples.find((s) => s.path.endsWith('img-0002.png'))!;
  assert.equal(cleared.angle, null);
  assert.deepEqual(cleared.history.map((h) => h.action), ['set', 'clear']);
  assert.equal(doc.evaluations.length, 1);
  assert.deepEqual(doc.evaluations[0]!.settings.budgets, [1]);

  const bad = runCli(['export', path.join(dir, 'source.farpoint'), '--format', 'xml']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--format must be csv, json or coco, got 'xml'/);
});
