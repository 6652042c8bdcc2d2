import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { startBackend } from '../helpers/backend';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { fillDisk, mountTinyTmpfs, setImmutable } from '../soak/support/scratch-mounts';
import { createSyntheticProject } from '../soak/support/synthetic-project';

const dir = tempDir();
const READ_ONLY = /^the project file is read-only; nothing was saved \(attempt to write a readonly database\)$/;

test('on a read-only project every write answers 423 with the reason: updateSettings and moveToFront too (they used to answer 500 "internal error")', async (t) => {
  const file = path.join(dir, 'read-only', 'p.farpoint');
  await createSyntheticProject(file, 20, { embeddingDim: 8 });
  // Root ignores file modes: chattr +i makes the file read-only even for root.
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const failed = setImmutable(file, true);
    if (failed) return t.skip(`chattr +i failed: ${failed}`);
  } else fs.chmodSync(file, 0o444);
  const backend = await startBackend(null);
  try {
    assert.equal((await backend.call('openProject', { path: file })).status, 200);
    assert.equal((await backend.call('getQueue', { offset: 0, limit: 5 })).status, 200, 'reading goes on');
    const writes: [string, unknown][] = [
      ['updateSettings', { randomSeed: 7, typiclustBatch: 3 }],
      ['moveToFront', { sampleIds: [3, 4] }],
      ['saveLabel', { sampleId: 1, angle: 10, queueRank: 0, strategy: 'fps' }],
      ['setSampleStatus', { sampleIds: [2], status: 'excluded' }],
    ];
    for (const [name, arg] of writes) {
      const answer = await backend.call(name, arg);
      assert.equal(answer.status, 423, `${name}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error ?? '', READ_ONLY, name);
    }
  } finally {
    if (isRoot) setImmutable(file, false);
    else fs.chmodSync(file, 0o644);
    await backend.close();
  }
});

test('an import that fills the disk says how many images it kept (it used to say "nothing was saved")', async () => {
  const images = path.join(dir, 'images');
  await writeImageFolder(images, 24);
  const project = Project.create(path.join(dir, 'import-full.farpoint'));
  let commits = 0;
  let refusal = '';
  await assert.rejects(
    importFolder(project.db, images, {
      batchSize: 8,
      onProgress: (p) => {
        // After the first batch of 8 is committed, the database may not grow any more.
        if (p.done > 0 && commits++ === 0) project.db.pragma(`max_page_count = ${project.db.pragma('page_count', { simple: true }) as number}`);
      },
    }),
    (err: Error & { status?: number }) => {
      assert.equal(err.status, 423);
      refusal = err.message;
      return true;
    },
  );
  // Free pages may hold another batch or two after the cap: the message counts what was kept, whatever it is.
  const kept = project.db.prepare('SELECT COUNT(*) FROM samples').pluck().get() as number;
  assert.ok(kept >= 8 && kept < 24, `${kept} samples kept`);
  assert.equal(
    refusal,
    `the disk is full (database or disk is full): ${kept} images were imported from ${images} before that and are kept; the batch being written was not saved; importing again goes on from there`,
  );
  project.close();
});

test('createProject on a full disk answers 423 and leaves no 0-byte project file behind (it used to)', async (t) => {
  const mount = path.join(dir, 'tiny');
  const mounted = mountTinyTmpfs(mount, 1024 * 1024);
  if (!mounted.ok) return t.skip(`no tmpfs can be mounted here (${mounted.why})`);
  fillDisk(mount);
  const backend = await startBackend(null);
  try {
    const file = path.join(mount, 'new.farpoint');
    const answer = await backend.call('createProject', { path: file });
    assert.equal(answer.status, 423, JSON.stringify(answer.body));
    assert.match(answer.body.error ?? '', /^cannot create project .*new\.farpoint: the disk is full .*; no project file was left behind$/);
    assert.deepEqual(fs.readdirSync(mount).filter((f) => f.startsWith('new')), []);
  } finally {
    await backend.close();
  }
});
