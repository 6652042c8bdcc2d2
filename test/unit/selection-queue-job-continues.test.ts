import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import type { QueuePage } from '../../src/shared/domain';
import { SelectionService, type FullOrderSummary } from '../../src/main/stages/select/selection-service';
import { Project } from '../../src/main/store/project';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const N = 4000;
const DIM = 8;

function vectorsFor(seed: number): Float32Array {
  const random = seededRandom(seed);
  const vectors = new Float32Array(N * DIM);
  for (let i = 0; i < N; i++) for (let k = 0; k < DIM; k++) vectors[i * DIM + k] = gaussian(random) * (1 + (i % 5));
  return vectors;
}

async function queueJob(session: Session, upTo: number): Promise<FullOrderSummary> {
  const job = await session.jobs.waitFor(session.startJob('queue', { strategy: 'fps', upTo }).id);
  assert.equal(job.state, 'done', job.error ?? '');
  return job.result as FullOrderSummary;
}

/**
 * The compute worker keeps the last queue job's state: a deeper job continues
 * the order instead of computing it again, labels saved between jobs are
 * applied to the kept state, and another file written at the same path is
 * never mistaken for the kept one. Every order served equals the exact one.
 */
test('a deeper queue job continues the kept order, after labels and for a replaced file too', async () => {
  const file = path.join(tempDir(), 'continue.farpoint');
  const first = vectorsFor(5);
  writeEmbeddedProject(file, N, (i) => first.subarray(i * DIM, (i + 1) * DIM));
  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  const served = async (count: number) => (await call<QueuePage>('getQueue', { offset: 0, limit: count })).entries.map((e) => e.sampleId);
  const exactIds = (vectors: Float32Array, count: number, seeds: number[] = []) =>
    [...furthestPointOrder(vectors, DIM, { seeds: seeds.map((id) => id - 1) }).order.subarray(0, count)].map((r) => r + 1);
  try {
    assert.equal((await queueJob(session, 300)).continuedFrom, 0);
    const deeper = await queueJob(session, 1200);
    assert.equal(deeper.continuedFrom, 300, 'the second job starts where the first stopped');
    assert.equal(deeper.computed, 1200);
    assert.deepEqual(await served(1200), exactIds(first, 1200));

    // Labeling the head keeps the kept order (shifted by one); a label far down the order is an out-of-order
    // center the kept state applies, and the order stays exact.
    const head = exactIds(first, 1)[0]!;
    await call('saveLabel', { sampleId: head, angle: 10 });
    const j3 = await queueJob(session, 1300);
    assert.equal(j3.continuedFrom, 1199);
    assert.deepEqual(await served(1299), exactIds(first, 1300).slice(1));
    const far = exactIds(first, 900)[899]!;
    await call('saveLabel', { sampleId: far, angle: 30 });
    await queueJob(session, 1500);
    assert.deepEqual(await served(1498), exactIds(first, 1498, [head, far]));

    // Another project written at the same path: a fresh state.
    await session.close();
    fs.rmSync(file);
    const second = vectorsFor(6);
    writeEmbeddedProject(file, N, (i) => second.subarray(i * DIM, (i + 1) * DIM));
    session.open(file);
    const fresh = await queueJob(session, 600);
    assert.equal(fresh.continuedFrom, 0);
    assert.deepEqual(await served(600), exactIds(second, 600));
  } finally {
    await session.close();
  }
});

/** The page that started a queue job is stored as soon as the order reaches it, before the job goes on to twice that depth. */
test('a queue job stores the depth its page asked for first', async () => {
  const file = path.join(tempDir(), 'need.farpoint');
  const vectors = vectorsFor(7);
  writeEmbeddedProject(file, N, (i) => vectors.subarray(i * DIM, (i + 1) * DIM));
  const project = Project.open(file);
  try {
    const reached: number[] = [];
    const summary = await new SelectionService(project.db).computeFullOrder(({ done, stored }) => done === stored && reached.push(done), () => false, 'fps', 2600, 1300);
    // The heads stored on the way (the whole order is stored when the job ends).
    assert.deepEqual(reached, [100, 1300]);
    assert.equal(summary.computed, 2600);
  } finally {
    project.close();
  }
});
