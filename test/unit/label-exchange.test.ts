import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { computeAgreement, listConflicts } from '../../src/main/stages/labels/agreement';
import { exportLabelPack, mergeLabelPack, validateLabelPack } from '../../src/main/stages/labels/label-pack';
import { saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function idsByName(project: Project): Map<string, number> {
  const rows = project.db.prepare('SELECT id, path FROM samples').all() as { id: number; path: string }[];
  return new Map(rows.map((r) => [path.basename(r.path).replace(/^copy-/, ''), r.id]));
}

function current(project: Project): Record<string, number> {
  const rows = project.db.prepare('SELECT s.path, l.angle FROM current_labels l JOIN samples s ON s.id = l.sample_id ORDER BY s.path').all() as { path: string; angle: number }[];
  return Object.fromEntries(rows.map((r) => [path.basename(r.path), r.angle]));
}

test('two sites label the same images; packs merge by content, twice changes nothing, and agreement matches a hand computation', async () => {
  const imagesA = path.join(dir, 'site-a');
  const files = await writeImageFolder(imagesA, 6);
  // Site B holds the same images under other names and folders: only the content matches.
  const imagesB = path.join(dir, 'site-b', 'nested');
  fs.mkdirSync(imagesB, { recursive: true });
  for (const f of files) fs.copyFileSync(f, path.join(imagesB, `copy-${path.basename(f)}`));

  const a = Project.create(path.join(dir, 'a.farpoint'));
  const b = Project.create(path.join(dir, 'b.farpoint'));
  await importFolder(a.db, imagesA);
  await importFolder(b.db, imagesB);
  const [n1, n2, n3, n4, n5] = files.map((f) => path.basename(f));
  const label = (p: Project, who: string, name: string, angle: number) => saveHandLabel(p.db, who, { sampleId: idsByName(p).get(name)!, angle, queueRank: null, strategy: null });
  label(a, 'alice', n1!, 10);
  label(a, 'alice', n2!, 350);
  label(a, 'alice', n3!, 90);
  label(a, 'alice', n4!, 0);
  label(a, 'alice', n4!, 20); // her later label is the one that counts
  label(b, 'bob', n1!, 14);
  label(b, 'bob', n2!, 5);
  label(b, 'bob', n3!, 100);
  label(b, 'bob', n5!, 45);
  label(b, 'carol', n1!, 8);
  const beforeA = current(a);

  const packB = JSON.parse(JSON.stringify(exportLabelPack(b.db, b.path))) as unknown;
  assert.ok(!JSON.stringify(packB).includes(imagesB), 'a pack carries no paths');
  const first = mergeLabelPack(a.db, validateLabelPack(packB, 'b.pack'));
  assert.deepEqual({ added: first.added, already: first.alreadyMerged, matched: first.matchedImages, unmatched: first.unmatchedImages }, { added: 5, already: 0, matched: 4, unmatched: 0 });
  const again = mergeLabelPack(a.db, validateLabelPack(packB, 'b.pack'));
  assert.deepEqual([again.added, again.alreadyMerged], [0, 5]);
  assert.deepEqual(current(a), beforeA, 'merged labels never overwrite the local ones');

  // By hand: s1 alice 10, bob 14, carol 8 → 4, 2, 6; s2 350 vs 5 → 15 (across 0°); s3 90 vs 100 → 10.
  const report = computeAgreement(a.db);
  assert.equal(report.samples, 3);
  assert.deepEqual(report.annotators, ['alice', 'bob', 'carol']);
  assert.ok(Math.abs(report.meanAbsDifference! - 37 / 5) < 1e-9);
  assert.equal(report.within5, 2 / 5);
  assert.equal(report.within10, 4 / 5);
  const pair = (x: string, y: string) => report.pairs.find((p) => p.a === x && p.b === y)!;
  assert.equal(pair('alice', 'bob').samples, 3);
  assert.ok(Math.abs(pair('alice', 'bob').meanAbsDifference - 29 / 3) < 1e-9);
  assert.equal(pair('alice', 'bob').within5, 1 / 3);
  assert.equal(pair('alice', 'carol').meanAbsDifference, 2);
  assert.equal(pair('bob', 'carol').meanAbsDifference, 6);

  const conflicts = listConflicts(a.db, 10);
  assert.deepEqual(conflicts.map((c) => [path.basename(c.path), c.maxDifference, c.labels.map((l) => `${l.author}:${l.angle}:${l.from}`)]), [[n2, 15, ['alice:350:local', 'bob:5:b']]]);

  // Back the other way through A's pack: B's own labels are recognised, only Alice's are new.
  const packA = exportLabelPack(a.db, a.path);
  const intoB = mergeLabelPack(b.db, packA);
  assert.deepEqual([intoB.added, intoB.alreadyMerged], [5, 5]);
  assert.equal(computeAgreement(b.db).meanAbsDifference, report.meanAbsDifference);
  assert.throws(() => validateLabelPack({ format: 'something-else' }, 'x.json'), /x\.json is not a Farpoint label pack/);
  a.close();
  b.close();
});
