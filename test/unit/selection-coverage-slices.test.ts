import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import { SelectionService } from '../../src/main/stages/select/selection-service';
import { FpsEngine } from '../../src/main/core/selection/fps-engine';
import { Project } from '../../src/main/store/project';
import { clearLabel, saveHandLabel } from '../../src/main/store/annotations';
import type { CoverageCurve } from '../../src/shared/domain';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const N = 12_000;
const DIM = 8;

/**
 * Above the server's slice-build size the coverage curve is computed a slice
 * of labels at a time, yielding to other work between slices, and without a
 * pruning tree: the same curve as the one computed in one go.
 */
test("a large pool's coverage curve is computed in slices on the server and equals the one computed at once", async () => {
  const file = path.join(tempDir(), 'coverage.farpoint');
  const random = seededRandom(3);
  writeEmbeddedProject(file, N, (i) => Float32Array.from({ length: DIM }, () => gaussian(random) * (1 + (i % 3))));
  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  try {
    const labelRandom = seededRandom(4);
    for (let k = 0; k < 60; k++) await call('saveLabel', { sampleId: 1 + Math.floor(labelRandom() * N), angle: k });
    // The queue is built (in slices too) before counting: only the curve's own slices count.
    await call('nextToLabel', {});
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const before = turns;
    const sliced = await call<CoverageCurve>('getCoverage');
    counting = false;
    assert.ok(turns - before >= 4, `other work ran between the slices (${turns - before} turns)`);

    const project = Project.open(file);
    try {
      const atOnce = await new SelectionService(project.db).coverage();
      assert.deepEqual(sliced, atOnce);
      assert.ok(sliced.points.length >= 55 && sliced.projected.length === 200);
    } finally {
      project.close();
    }
  } finally {
    await session.close();
  }
});

/**
 * The projection along the queue (the covering radius after each of the next
 * 200 picks) is read from the queue's head where it is known, instead of 200
 * more picks on the server's thread: the radius after a pick is the next
 * pick's novelty. Read or computed, it is the same curve, after labels in and
 * out of queue order too.
 */
test('the coverage projection read from the known queue head equals the one computed pick by pick', async () => {
  const file = path.join(tempDir(), 'projection.farpoint');
  const random = seededRandom(5);
  writeEmbeddedProject(file, 2_000, () => Float32Array.from({ length: DIM }, () => gaussian(random)));
  const project = Project.open(file);
  try {
    const live = new SelectionService(project.db);
    const head = live.page('fps', 0, 3).entries;
    // Two labels in queue order (the head), one out of it.
    for (const [k, sampleId] of [head[0]!.sampleId, head[1]!.sampleId, 1_234].entries()) {
      saveHandLabel(project.db, 'test', { sampleId, angle: k, queueRank: null, strategy: 'fps' });
      live.page('fps', 0, 300);
      const read = await live.coverage();
      const computed = await new SelectionService(project.db).coverage();
      assert.equal(read.projected.length, 200);
      assert.deepEqual(read, computed, `after label ${k + 1}`);
    }
  } finally {
    project.close();
  }
});

/**
 * Each label asks for the coverage curve again. The curve's engine is kept:
 * the labels given since are inserted into it, one insertion each, where the
 * curve was computed again from the first label (a distance step over the
 * pool per label so far: at a million samples and a thousand labels, seconds
 * of the server's thread per label). A label removed starts it afresh.
 */
test('the coverage curve after a new label inserts that label only, and is the curve computed afresh', async () => {
  const file = path.join(tempDir(), 'coverage-run.farpoint');
  const random = seededRandom(6);
  writeEmbeddedProject(file, 2_000, () => Float32Array.from({ length: DIM }, () => gaussian(random)));
  const project = Project.open(file);
  const insert = FpsEngine.prototype.insert;
  let inserts = 0;
  FpsEngine.prototype.insert = function (this: FpsEngine, row: number) {
    inserts++;
    return insert.call(this, row);
  };
  try {
    const live = new SelectionService(project.db);
    for (let k = 0; k < 30; k++) saveHandLabel(project.db, 'test', { sampleId: 1 + k * 61, angle: k, queueRank: null, strategy: 'fps' });
    live.page('fps', 0, 300);
    await live.coverage();
    saveHandLabel(project.db, 'test', { sampleId: 1_999, angle: 5, queueRank: null, strategy: 'fps' });
    live.page('fps', 0, 300);
    inserts = 0;
    const next = await live.coverage();
    assert.ok(inserts <= 2, `the curve after one more label took ${inserts} insertions`);
    assert.deepEqual(next, await new SelectionService(project.db).coverage());
    assert.equal(next.points.length, 31);
    // A label taken back: the curve is computed afresh, and right.
    clearLabel(project.db, 'test', 62);
    const after = await live.coverage();
    assert.equal(after.points.length, 30);
    assert.deepEqual(after, await new SelectionService(project.db).coverage());
  } finally {
    FpsEngine.prototype.insert = insert;
    project.close();
  }
});
