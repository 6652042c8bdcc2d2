import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import type { JobInfo, QueuePage } from '../../src/shared/domain';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const N = 3000;
const DIM = 8;

/**
 * A request may spend about 4 million distance evaluations on furthest-point
 * picks on the main thread: at N = 3,000 that is 1,333 picks. A page past
 * them is answered at once with what is ready and `computing`, and the queue
 * job computes the order in the compute worker; the next request serves it.
 */
test('a page past what the main thread may compute comes from the queue job, equal to the exact FPS order', async () => {
  const file = path.join(tempDir(), 'deep.farpoint');
  const random = seededRandom(11);
  const vectors = new Float32Array(N * DIM);
  for (let i = 0; i < N; i++) for (let k = 0; k < DIM; k++) vectors[i * DIM + k] = gaussian(random) * (1 + (i % 7));
  writeEmbeddedProject(file, N, (i) => vectors.subarray(i * DIM, (i + 1) * DIM));
  const exact = furthestPointOrder(vectors, DIM);
  const idsOf = (from: number, to: number) => [...exact.order.subarray(from, to)].map((r) => r + 1);

  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  try {
    // The head is within the budget: computed here, no job.
    const head = await call<QueuePage>('getQueue', { offset: 0, limit: 200 });
    assert.equal(head.computing ?? null, null);
    assert.deepEqual(head.entries.map((e) => e.sampleId), idsOf(0, 200));

    // A jump to rank 2,001: what is ready (nothing there yet) and the job computing the rest.
    const deep = await call<QueuePage>('getQueue', { offset: 2000, limit: 100 });
    assert.ok(deep.computing, 'the deep page is being computed');
    assert.equal(deep.entries.length, 0);
    assert.equal(deep.total, N);
    assert.equal(deep.computing.total, N);
    const job = await session.jobs.waitFor(deep.computing.jobId);
    assert.equal(job.state, 'done', job.error ?? '');
    assert.equal((await call<JobInfo>('getJob', { id: job.id })).progress.message, `computing the queue… ${N} of ${N}`);

    const served = await call<QueuePage>('getQueue', { offset: 2000, limit: 100 });
    assert.equal(served.computing ?? null, null);
    assert.deepEqual(served.entries.map((e) => e.sampleId), idsOf(2000, 2100));
    assert.deepEqual(served.entries.map((e) => e.rank), [...Array(100).keys()].map((k) => 2001 + k));
    assert.deepEqual(served.entries.map((e) => e.novelty), [...exact.novelty.subarray(2000, 2100)]);

    // Labeling the head of the adopted order keeps it: the next page is the old one shifted by one.
    await call('saveLabel', { sampleId: idsOf(0, 1)[0], angle: 5, queueRank: 1, strategy: 'fps' });
    const shifted = await call<QueuePage>('getQueue', { offset: 1999, limit: 100 });
    assert.deepEqual(shifted.entries.map((e) => e.sampleId), idsOf(2000, 2100));
  } finally {
    await session.close();
  }
});
