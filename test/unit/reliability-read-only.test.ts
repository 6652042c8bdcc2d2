import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { startBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { assertIntegrity } from '../soak/support/project-checks';
import { mountReadOnlyView, setImmutable, unmount } from '../soak/support/scratch-mounts';
import { createSyntheticProject } from '../soak/support/synthetic-project';
import { hashTables } from '../soak/support/table-hash';

const dir = tempDir();
const READ_ONLY = /^the project file is read-only; nothing was saved \(attempt to write a readonly database\)$/;
const isRoot = process.getuid?.() === 0;

async function labeledProject(name: string): Promise<{ file: string; hashes: Record<string, string> }> {
  const file = path.join(dir, name, 'p.farpoint');
  await createSyntheticProject(file, 10);
  const project = Project.open(file);
  for (let id = 1; id <= 5; id++) saveHandLabel(project.db, 'expert', { sampleId: id, angle: id * 10, queueRank: id, strategy: 'fps' });
  const hashes = hashTables(project.db);
  project.close();
  return { file, hashes };
}

function hashesOf(file: string): Record<string, string> {
  const project = Project.open(file);
  try {
    assertIntegrity(project.db, file);
    return hashTables(project.db);
  } finally {
    project.close();
  }
}

/**
 * Root ignores file modes, so a read-only file is made with chattr +i
 * (immutable: not even root may open it for writing); other users get chmod 0444.
 */
function makeReadOnly(file: string): { how: string; undo: () => void } | { why: string } {
  if (!isRoot) {
    fs.chmodSync(file, 0o444);
    return { how: 'chmod 0444', undo: () => fs.chmodSync(file, 0o644) };
  }
  const failed = setImmutable(file, true);
  if (failed) return { why: `root ignores chmod and chattr +i failed: ${failed}` };
  return { how: 'chattr +i', undo: () => void setImmutable(file, false) };
}

test('a read-only project file: it opens, saving a label answers 423 with the reason, nothing stored changes, and after it is writable again a reopen lets the retry succeed', async (t) => {
  const { file, hashes } = await labeledProject('immutable');
  const readOnly = makeReadOnly(file);
  if ('why' in readOnly) {
    t.skip(readOnly.why);
    return;
  }
  const backend = await startBackend(null);
  try {
    const opened = await backend.call('openProject', { path: file });
    assert.equal(opened.status, 200, `opening a read-only project (${readOnly.how}): ${opened.body.error}`);
    const label = { sampleId: 7, angle: 123, queueRank: 6, strategy: 'fps' };
    const refused = await backend.call('saveLabel', label);
    assert.equal(refused.status, 423, JSON.stringify(refused.body));
    assert.match(refused.body.error!, READ_ONLY);
    for (const [name, arg] of [['clearLabel', { sampleId: 1 }], ['undoLastLabel', {}], ['setSampleStatus', { sampleIds: [2], status: 'excluded' }]] as const) {
      const answer = await backend.call(name, arg);
      assert.equal(answer.status, 423, `${name}: ${JSON.stringify(answer.body)}`);
    }
    assert.equal((await backend.call('getSample', { id: 3 })).status, 200, 'reading goes on');
    console.log(`read-only file (${readOnly.how}): saveLabel -> ${refused.status} ${JSON.stringify(refused.body)}`);

    readOnly.undo();
    // SQLite opened the file read-only and the connection stays so: the retry needs the project reopened.
    const stillRefused = await backend.call('saveLabel', label);
    assert.equal(stillRefused.status, 423, 'the connection opened read-only stays read-only');
    assert.equal((await backend.call('openProject', { path: file })).status, 200);
    const retried = await backend.call('saveLabel', label);
    assert.equal(retried.status, 200, `retry after reopening: ${retried.body.error}`);
  } finally {
    readOnly.undo();
    await backend.close();
  }
  const after = hashesOf(file);
  const { annotations: _a, ...othersAfter } = after;
  const { annotations: _b, ...othersBefore } = hashes;
  assert.deepEqual(othersAfter, othersBefore, 'the refused writes changed the project');
  assert.match(after.annotations!, /:6$/, 'the five earlier labels and the one retried label');
});

test('a project on a read-only disk (bind mount remounted ro) that another process has open: reads work, saving answers 423, nothing changes', async (t) => {
  const { file, hashes } = await labeledProject('shared');
  const view = path.join(dir, 'ro-view');
  const mounted = mountReadOnlyView(path.dirname(file), view);
  if (!mounted.ok) {
    t.skip(`no read-only mount possible here (${mounted.why})`);
    return;
  }
  // The writer elsewhere keeps its -wal and -shm next to the file, as on a shared folder.
  const writer = Project.open(file);
  const backend = await startBackend(null);
  try {
    const opened = await backend.call('openProject', { path: path.join(view, 'p.farpoint') });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    assert.equal((opened.body.result as { labeled: number }).labeled, 5);
    const refused = await backend.call('saveLabel', { sampleId: 8, angle: 45 });
    assert.equal(refused.status, 423, JSON.stringify(refused.body));
    assert.match(refused.body.error!, READ_ONLY);
    console.log(`read-only disk: saveLabel -> ${refused.status} ${JSON.stringify(refused.body)}`);
  } finally {
    await backend.close();
    writer.close();
    unmount(view);
  }
  assert.deepEqual(hashesOf(file), hashes);
});

test('a cleanly closed project on a read-only disk cannot be opened (SQLite must create its -shm file): the message says why', async (t) => {
  const { file, hashes } = await labeledProject('closed');
  const view = path.join(dir, 'ro-closed');
  const mounted = mountReadOnlyView(path.dirname(file), view);
  if (!mounted.ok) {
    t.skip(`no read-only mount possible here (${mounted.why})`);
    return;
  }
  const backend = await startBackend(null);
  try {
    const opened = await backend.call('openProject', { path: path.join(view, 'p.farpoint') });
    assert.equal(opened.status, 423, JSON.stringify(opened.body));
    assert.match(opened.body.error!, /cannot open project .*ro-closed\/p\.farpoint: its folder is read-only/);
    console.log(`read-only disk, project closed: openProject -> ${opened.status} ${JSON.stringify(opened.body)}`);
  } finally {
    await backend.close();
    unmount(view);
  }
  assert.deepEqual(hashesOf(file), hashes);
});
