import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { validateArg } from '../../src/shared/contract';
import { mergeWithReport, writeLabelPack } from '../../src/main/app/label-exchange';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { computeAgreement, listConflicts } from '../../src/main/stages/labels/agreement';
import { annotationHistory, currentLabelOf, entryBefore, restoreLabel, saveAdjudication, saveHandLabel } from '../../src/main/store/annotations';
import { openDatabase } from '../../src/main/store/database';
import { reviewCounts, reviewPage } from '../../src/main/store/review-query';
import { Project } from '../../src/main/store/project';
import { runCli } from '../helpers/cli';
import { writeDistinctPng, writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

/** Two sites with the same four images; site B also has one site A lacks. Alice labels at A, Bob at B. */
async function twoSites(name: string) {
  const root = path.join(dir, name);
  const files = await writeImageFolder(path.join(root, 'a-images'), 4);
  const bImages = path.join(root, 'b-images');
  fs.mkdirSync(bImages, { recursive: true });
  for (const f of files) fs.copyFileSync(f, path.join(bImages, path.basename(f)));
  await writeDistinctPng(path.join(bImages, 'only-at-b.png'), 99);
  const a = Project.create(path.join(root, 'a.farpoint'));
  const b = Project.create(path.join(root, 'b.farpoint'));
  await importFolder(a.db, path.join(root, 'a-images'));
  await importFolder(b.db, bImages);
  const id = (p: Project, file: string) => (p.db.prepare('SELECT id FROM samples WHERE path LIKE ?').get(`%${file}`) as { id: number }).id;
  const label = (p: Project, who: string, file: string, angle: number) => saveHandLabel(p.db, who, { sampleId: id(p, file), angle, queueRank: null, strategy: null });
  label(a, 'alice', 'img-0000.png', 10);
  label(a, 'alice', 'img-0001.png', 350);
  label(a, 'alice', 'img-0002.png', 90);
  label(b, 'bob', 'img-0000.png', 14);
  label(b, 'bob', 'img-0001.png', 5);
  label(b, 'bob', 'img-0002.png', 120);
  label(b, 'bob', 'img-0003.png', 200);
  label(b, 'bob', 'only-at-b.png', 45);
  const pack = path.join(root, 'b-labels.json');
  writeLabelPack(b.db, b.path, pack);
  const onlyAtB = (b.db.prepare('SELECT content_hash FROM samples WHERE path LIKE ?').get('%only-at-b.png') as { content_hash: string }).content_hash;
  return { a, b, pack, onlyAtB, id: (file: string) => id(a, file) };
}

test("a merge reports the pack's unmatched hashes and the conflicts it raised; merging again raises none", async () => {
  const { a, b, pack, onlyAtB, id } = await twoSites('report');
  const first = mergeWithReport(a.db, pack, 10);
  assert.deepEqual(
    { matched: first.matchedImages, unmatched: first.unmatchedImages, hashes: first.unmatchedHashes, added: first.added, already: first.alreadyMerged },
    { matched: 4, unmatched: 1, hashes: [onlyAtB], added: 4, already: 0 },
  );
  // 350 vs 5 is 15° (across 0°), 90 vs 120 is 30°: both over 10°, the larger first; 10 vs 14 is not.
  assert.deepEqual(first.conflicts.map((c) => [c.sampleId, c.maxDifference]), [[id('img-0002.png'), 30], [id('img-0001.png'), 15]]);
  assert.deepEqual(first.newConflicts, [id('img-0002.png'), id('img-0001.png')]);
  assert.ok(first.conflicts.every((c) => c.adjudicated === null));
  const again = mergeWithReport(a.db, pack, 10);
  assert.deepEqual([again.added, again.alreadyMerged, again.newConflicts.length, again.conflicts.length], [0, 4, 0, 2]);
  a.close();
  b.close();
});

test("an adjudication becomes the sample's label with its own source, leaves agreement alone, and undoes to what was there", async () => {
  const { a, b, pack, id } = await twoSites('adjudicate');
  mergeWithReport(a.db, pack, 10);
  const agreementBefore = computeAgreement(a.db);
  const s1 = id('img-0001.png');
  const s3 = id('img-0003.png');

  const record = saveAdjudication(a.db, 'expert', s1, 365);
  assert.equal(record.source, 'adjudicated');
  assert.equal(record.angle, 5, 'wrapped to the project angle mode');
  assert.deepEqual(currentLabelOf(a.db, s1), { angle: 5, source: 'adjudicated' });
  const conflict = listConflicts(a.db, 10).find((c) => c.sampleId === s1)!;
  assert.deepEqual({ ...conflict.adjudicated, at: undefined }, { annotationId: record.id, angle: 5, author: 'expert', at: undefined });
  assert.deepEqual(computeAgreement(a.db), agreementBefore, "the expert's final angle is not another annotator's label");
  // The Samples view finds it under its own filter.
  const context = { skippedIds: [], regressorId: null };
  assert.equal(reviewCounts(a.db, context).counts.adjudicated, 1);
  const listed = reviewPage(a.db, { filter: 'adjudicated', search: '', sort: 'id', descending: false, after: null, limit: 10 }, context);
  assert.deepEqual(listed.samples.map((x) => [x.id, x.angle, x.angleSource]), [[s1, 5, 'adjudicated']]);

  // Undo puts Alice's own label back, as it was.
  const { before } = entryBefore(a.db, record.id);
  restoreLabel(a.db, 'expert', s1, before, record.id);
  assert.deepEqual(currentLabelOf(a.db, s1), { angle: 350, source: 'hand' });
  assert.equal(listConflicts(a.db, 10).find((c) => c.sampleId === s1)!.adjudicated, null);

  // A sample labeled only at the other site has no local label before: the undo's empty entry keeps the
  // adjudication's source, so it never reads as the expert withdrawing a hand label of theirs.
  const only = saveAdjudication(a.db, 'bob', s3, 210);
  restoreLabel(a.db, 'bob', s3, entryBefore(a.db, only.id).before, only.id);
  assert.equal(currentLabelOf(a.db, s3), null);
  assert.deepEqual(annotationHistory(a.db, s3).map((h) => [h.action, h.source, h.angle]), [['set', 'adjudicated', 210], ['undo', 'adjudicated', null]]);
  assert.deepEqual(computeAgreement(a.db), agreementBefore);
  a.close();
  b.close();
});

test('the adjudicateLabel request names a bad angle or sample', () => {
  assert.equal(validateArg('adjudicateLabel', { sampleId: 3, angle: 97.5 }).ok, true);
  const nan = validateArg('adjudicateLabel', { sampleId: 3, angle: Number.NaN });
  assert.equal(nan.ok, false);
  assert.match((nan as { error: string }).error, /adjudicateLabel: angle/);
  assert.match((validateArg('adjudicateLabel', { sampleId: 0, angle: 1 }) as { error: string }).error, /sampleId/);
  assert.equal(validateArg('mergeLabelPack', { path: '/x.json', tolerance: 181 }).ok, false);
  const merge = validateArg('mergeLabelPack', { path: '/x.json' });
  assert.deepEqual((merge as { value: unknown }).value, { path: '/x.json', tolerance: 10 });
});

test("a project at schema 15 migrates to accept the 'adjudicated' source, keeping every annotation and its id", () => {
  const file = path.join(dir, 'from-15.farpoint');
  const old = openDatabase(file, { create: true, targetVersion: 15 });
  old.prepare(`INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES ('/a.png', 'h', 1, 1, 1, 8, 'png', 'now')`).run();
  old.prepare(`INSERT INTO annotations (id, sample_id, angle, action, source, author, created_at) VALUES (7, 1, 40, 'set', 'suggestion', 'ann', 'then')`).run();
  assert.throws(() => old.prepare(`INSERT INTO annotations (sample_id, angle, action, source, author, created_at) VALUES (1, 1, 'set', 'adjudicated', 'x', 'now')`).run(), /CHECK/);
  old.close();
  const db = openDatabase(file);
  assert.deepEqual(db.prepare('SELECT id, angle, source FROM annotations').all(), [{ id: 7, angle: 40, source: 'suggestion' }]);
  db.prepare(`INSERT INTO annotations (sample_id, angle, action, source, author, created_at) VALUES (1, 41, 'set', 'adjudicated', 'x', 'now')`).run();
  assert.deepEqual(db.prepare('SELECT angle, source FROM current_labels').get(), { angle: 41, source: 'adjudicated' });
  assert.throws(() => db.prepare(`INSERT INTO annotations (sample_id, angle, action, source, author, created_at) VALUES (1, 1, 'set', 'bogus', 'x', 'now')`).run(), /CHECK/);
  assert.throws(() => db.prepare('DELETE FROM annotations').run(), /append-only/);
  db.close();
});

test('farpoint labels merge names the adjudicated angle of a conflict and the hashes this project lacks', async () => {
  const { a, b, pack, onlyAtB, id } = await twoSites('cli');
  mergeWithReport(a.db, pack, 10);
  saveAdjudication(a.db, 'expert', id('img-0001.png'), 5);
  a.close();
  b.close();
  const run = runCli(['labels', 'merge', path.join(dir, 'cli', 'a.farpoint'), pack]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /merged 0 annotations from b \(4 already here\)/);
  assert.match(run.stdout, /img-0001\.png: alice 350\.0°, bob 5\.0° \(b\); 15\.0° apart; adjudicated 5\.0° by expert/);
  assert.match(run.stdout, /img-0002\.png: alice 90\.0°, bob 120\.0° \(b\); 30\.0° apart\n/);
  assert.ok(run.stdout.includes(`not in this project: ${onlyAtB}`));
});
