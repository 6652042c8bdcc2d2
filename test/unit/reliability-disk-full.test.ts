import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { AnnotationRecord } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { assertAcknowledgedPresent, assertIntegrity } from '../soak/support/project-checks';
import { fillDisk, mountTinyTmpfs, unmount } from '../soak/support/scratch-mounts';
import { createSyntheticProject } from '../soak/support/synthetic-project';
import { hashTables } from '../soak/support/table-hash';

const dir = tempDir();
const SAMPLES = 30;
const FULL = /^the disk is full; nothing was saved \(database or disk is full\)$/;

/** Saves labels until the back end refuses one; returns what it acknowledged and the refusal. */
async function saveUntilRefused(backend: TestBackend, limit: number) {
  const acknowledged: AnnotationRecord[] = [];
  for (let i = 0; i < limit; i++) {
    const arg = { sampleId: (i % SAMPLES) + 1, angle: (i * 37) % 360, queueRank: i, strategy: 'fps' };
    const answer = await backend.call('saveLabel', arg);
    if (answer.status === 200) acknowledged.push(answer.body.result as AnnotationRecord);
    else return { acknowledged, refused: { arg, status: answer.status, error: answer.body.error ?? '' } };
  }
  return { acknowledged, refused: null };
}

/** Saves until the disk is full, then checks: a clear 423, reads go on, nothing stored is damaged, the retry works once there is room. */
async function fullDiskScenario(backend: TestBackend, fill: () => void, makeRoom: () => void, where: string): Promise<{ saved: number; refusal: string }> {
  const db = backend.session.project.db;
  const earlier = await saveUntilRefused(backend, 10);
  assert.equal(earlier.refused, null, `${where}: saving before the disk filled`);
  const { annotations: _before, ...othersBefore } = hashTables(db);

  fill();
  const during = await saveUntilRefused(backend, 5000);
  assert.ok(during.refused, `${where}: 5000 labels saved on a full disk: the disk never filled`);
  assert.equal(during.refused.status, 423, `${where}: ${JSON.stringify(during.refused)}`);
  assert.match(during.refused.error, FULL, where);
  // Reading goes on while the disk is full.
  assert.equal((await backend.call('getStatus')).status, 200);
  assert.equal((await backend.call('listSamples', { limit: 5 })).status, 200);

  const acknowledged = [...earlier.acknowledged, ...during.acknowledged];
  assertIntegrity(db, `${where}, disk full`);
  assertAcknowledgedPresent(db, acknowledged, `${where}, disk full`);
  const { annotations: _after, ...othersAfter } = hashTables(db);
  assert.deepEqual(othersAfter, othersBefore, `${where}: a refused save changed other tables`);
  const stored = db.prepare('SELECT COUNT(*) FROM annotations').pluck().get();
  assert.equal(stored, acknowledged.length, `${where}: the refused save left a row behind`);

  // The UI keeps the refused label and retries it: once there is room, the same request succeeds on the same connection.
  makeRoom();
  const retry = await backend.call('saveLabel', during.refused.arg);
  assert.equal(retry.status, 200, `${where}: retry after making room: ${retry.body.error}`);
  assertAcknowledgedPresent(db, [...acknowledged, retry.body.result as AnnotationRecord], `${where}, after the retry`);
  return { saved: during.acknowledged.length, refusal: `${during.refused.status} ${JSON.stringify({ error: during.refused.error })}` };
}

test('a full disk (a real 2 MiB tmpfs, filled): saving a label answers 423 with the reason, nothing stored is damaged, the retry succeeds once there is room', async (t) => {
  const mount = path.join(dir, 'tiny');
  const mounted = mountTinyTmpfs(mount, 2 * 1024 * 1024);
  if (!mounted.ok) {
    t.skip(`no tmpfs can be mounted here (${mounted.why}); the max_page_count test produces the same SQLITE_FULL`);
    return;
  }
  const projectPath = path.join(mount, 'full.farpoint');
  await createSyntheticProject(projectPath, SAMPLES);
  const backend = await startBackend(projectPath);
  let filler = '';
  try {
    const outcome = await fullDiskScenario(
      backend,
      () => (filler = fillDisk(mount)),
      () => fs.rmSync(filler),
      'tmpfs',
    );
    console.log(`disk full (tmpfs): ${outcome.saved} saves still fitted after ENOSPC, then ${outcome.refusal}`);
  } finally {
    await backend.close();
    unmount(mount);
  }
});

test("a full database (SQLite's max_page_count, portable): the same 423, no damage, and the retry succeeds once the limit is raised", async () => {
  const projectPath = path.join(dir, 'capped.farpoint');
  await createSyntheticProject(projectPath, SAMPLES);
  const backend = await startBackend(projectPath);
  try {
    const db = backend.session.project.db;
    const outcome = await fullDiskScenario(
      backend,
      () => db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`),
      () => db.pragma('max_page_count = 1073741823'),
      'max_page_count',
    );
    console.log(`disk full (max_page_count): ${outcome.saved} saves fitted in free pages, then ${outcome.refusal}`);
  } finally {
    await backend.close();
  }
});
