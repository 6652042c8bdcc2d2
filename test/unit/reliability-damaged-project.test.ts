import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import type { ProjectStatus } from '../../src/shared/domain';
import { startBackend } from '../helpers/backend';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { createSyntheticProject } from '../soak/support/synthetic-project';

const dir = tempDir();
const SAMPLES = 400;
const LABELS = 20;

/** Overwrites the cell area of one b-tree page of `table` (the last leaf) with garbage: the damage a bad sector or a torn copy leaves. */
function damageLastLeaf(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
  db.close();
  assert.ok(leaves.length >= 2, `${table} spans ${leaves.length} leaf pages`);
  const page = leaves[leaves.length - 1]!;
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(200, 0xff), 0, 200, (page - 1) * pageSize + 8);
  fs.closeSync(fd);
  return page;
}

async function labeledProject(name: string): Promise<string> {
  const file = path.join(dir, name);
  await createSyntheticProject(file, SAMPLES, { embeddingDim: 8 });
  const project = Project.open(file);
  for (let id = 1; id <= LABELS; id++) saveHandLabel(project.db, 'expert', { sampleId: id, angle: id * 9, queueRank: id, strategy: 'fps' });
  project.db.pragma('wal_checkpoint(TRUNCATE)');
  project.close();
  return file;
}

test('a project with a damaged samples page opens in a clear "damaged" state (it used to open silently), check fails naming it, recover copies every label and every readable sample', async () => {
  const file = await labeledProject('damaged.farpoint');
  damageLastLeaf(file, 'samples');

  const backend = await startBackend(null);
  try {
    const opened = await backend.call('openProject', { path: file });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    const status = opened.body.result as ProjectStatus;
    assert.match(status.damaged ?? '', /^the project file .*damaged\.farpoint is damaged: samples: .*Run farpoint recover/);
    assert.equal(((await backend.call('getStatus')).body.result as ProjectStatus).damaged, status.damaged, 'it stays damaged');
  } finally {
    await backend.close();
  }

  const statusRun = runCli(['status', file]);
  assert.match(statusRun.stdout, /^DAMAGED {3}the project file .* is damaged/m, statusRun.stderr);
  const check = runCli(['check', file]);
  assert.notEqual(check.status, 0, 'check exits non-zero on a damaged file');
  assert.match(check.stderr, /damaged\.farpoint is damaged/);

  const out = path.join(dir, 'recovered.farpoint');
  const recover = runCli(['recover', file, out, '--json']);
  assert.equal(recover.status, 0, recover.stderr);
  const report = JSON.parse(recover.stdout) as { labelsCopied: number; tables: { table: string; copied: number; refused: number; readErrors: string[] }[] };
  assert.equal(report.labelsCopied, LABELS);
  assert.equal(report.tables[0]!.table, 'samples');
  assert.equal(report.tables[1]!.table, 'annotations', 'labels right after the samples they refer to');
  // The damage surfaces as read errors, or (where the garbage still parses as cells) as rows the new file refuses:
  // which one depends on the bytes the page held, which vary with the generated project. Either way it is reported.
  const samplesCopy = report.tables[0]!;
  assert.ok(samplesCopy.readErrors.length > 0 || samplesCopy.refused > 0, `the damaged stretch is reported: ${JSON.stringify(samplesCopy)}`);

  const recovered = Project.open(out);
  try {
    recovered.checkOnOpen();
    assert.equal(recovered.damage, null);
    const s = recovered.status();
    assert.equal(s.labeled, LABELS);
    assert.ok(s.samples > SAMPLES / 2 && s.samples < SAMPLES, `${s.samples} of ${SAMPLES} samples recovered (the damaged page lost)`);
    const angles = recovered.db.prepare('SELECT sample_id, angle FROM current_labels ORDER BY sample_id').raw().all();
    assert.deepEqual(angles, Array.from({ length: LABELS }, (_, i) => [i + 1, (i + 1) * 9]));
  } finally {
    recovered.close();
  }
  assert.equal(runCli(['check', out]).status, 0);
  assert.notEqual(runCli(['recover', file, out]).status, 0, 'recover never overwrites');
});

test('damage outside the checked-on-open tables (thumbnails) is found by farpoint check, and the project opens clean', async () => {
  const file = await labeledProject('thumbs.farpoint');
  damageLastLeaf(file, 'thumbnails');
  const project = Project.open(file);
  const report = project.checkOnOpen();
  project.close();
  assert.deepEqual(report.problems, []);
  const check = runCli(['check', file, '--json']);
  assert.notEqual(check.status, 0);
  assert.match(check.stderr, /thumbs\.farpoint is damaged/);
});
