import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import type { QueuePage } from '../../src/shared/domain';
import { loadLatestQueueOrder } from '../../src/main/store/queue-order-store';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const N = 12_000;
const DIM = 8;

function open(file: string) {
  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  return { session, call: <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T> };
}

/**
 * A reopened large project builds its live queue in slices; meanwhile its
 * first page comes from the order the queue job stored for exactly this
 * state, at once, and equals what the built queue serves.
 */
test('a reopened large project serves its stored queue order while the live queue is built', async () => {
  const file = path.join(tempDir(), 'reopen.farpoint');
  const random = seededRandom(8);
  writeEmbeddedProject(file, N, (i) => Float32Array.from({ length: DIM }, () => gaussian(random) * (1 + (i % 4))));
  const first = open(file);
  try {
    await first.call('saveLabel', { sampleId: 17, angle: 45 });
    const job = await first.session.jobs.waitFor(first.session.startJob('queue', { strategy: 'fps', upTo: 500 }).id);
    assert.equal(job.state, 'done', job.error ?? '');
  } finally {
    await first.session.close();
  }

  const again = open(file);
  try {
    const page = await again.call<QueuePage>('getQueue', { offset: 0, limit: 100 });
    assert.equal(page.computing ?? null, null, 'served without waiting for a job');
    assert.equal(page.entries.length, 100);
    // Beyond the stored head: nothing made up, the job computes it.
    const deep = await again.call<QueuePage>('getQueue', { offset: 450, limit: 100 });
    assert.ok(deep.computing, 'a page past the stored order waits for the job');
    await again.session.jobs.waitFor(deep.computing.jobId);

    await again.call('nextToLabel', {});
    const built = await again.call<QueuePage>('getQueue', { offset: 0, limit: 100 });
    assert.deepEqual(page.entries, built.entries);
    assert.ok(!page.entries.some((e) => e.sampleId === 17), 'the labeled sample is not queued');
  } finally {
    await again.session.close();
  }
});

/**
 * Labeling the head of the queue and closing the project before a queue job
 * stored the order again (the job stops as stale at each label): the order
 * stored before those labels, less its labeled head, is the order now, so the
 * reopened project still shows its queue at once. A label past the head
 * makes it stale.
 */
test('a reopened large project labeled in queue order serves its stored order less the labeled head', async () => {
  const file = path.join(tempDir(), 'reopen-labeled.farpoint');
  const random = seededRandom(9);
  writeEmbeddedProject(file, N, (i) => Float32Array.from({ length: DIM }, () => gaussian(random) * (1 + (i % 4))));
  let stored: QueuePage;
  const first = open(file);
  try {
    const job = await first.session.jobs.waitFor(first.session.startJob('queue', { strategy: 'fps', upTo: 500 }).id);
    assert.equal(job.state, 'done', job.error ?? '');
    stored = await first.call<QueuePage>('getQueue', { offset: 0, limit: 120 });
    // The head labeled out of turn among itself, and the second relabeled: still exactly the first three.
    for (const k of [1, 0, 2, 1]) await first.call('saveLabel', { sampleId: stored.entries[k]!.sampleId, angle: 10 * k });
  } finally {
    await first.session.close();
  }

  const again = open(file);
  try {
    const page = await again.call<QueuePage>('getQueue', { offset: 0, limit: 100 });
    assert.equal(page.computing ?? null, null, 'served without waiting for a job');
    assert.deepEqual(
      page.entries.map((e) => [e.sampleId, e.novelty]),
      stored.entries.slice(3, 103).map((e) => [e.sampleId, e.novelty]),
    );
    await again.call('nextToLabel', {});
    const built = await again.call<QueuePage>('getQueue', { offset: 0, limit: 100 });
    assert.deepEqual(page.entries, built.entries, 'what the built queue serves');
    // The length too: a jump to the last rank it promised must find it.
    assert.equal(page.total, N - 3);
    assert.equal(built.total, N - 3);
    // A label past the head: the stored order no longer applies.
    await again.call('saveLabel', { sampleId: stored.entries[50]!.sampleId, angle: 5 });
  } finally {
    await again.session.close();
  }

  const third = open(file);
  try {
    const page = await third.call<QueuePage>('getQueue', { offset: 0, limit: 100 });
    assert.ok(page.computing, 'the job computes the order again');
    assert.equal(page.entries.length, 0);
    await third.session.jobs.waitFor(page.computing.jobId);
  } finally {
    await third.session.close();
  }
});

/**
 * A whole stored order serves the queue's last page while the live queue is
 * built (a page shorter than its limit), and a later job asked for less at
 * the same state never cuts the stored order short with the heads it stores
 * on its way: the jump to the last rank found nothing and started a job whose
 * first head replaced the whole order.
 */
test('a whole stored order serves the last page of a reopened project and is never replaced by a shorter head', async () => {
  const file = path.join(tempDir(), 'reopen-whole.farpoint');
  const random = seededRandom(10);
  writeEmbeddedProject(file, N, (i) => Float32Array.from({ length: DIM }, () => gaussian(random) * (1 + (i % 4))));
  const first = open(file);
  try {
    for (const upTo of [N, 500]) {
      const job = await first.session.jobs.waitFor(first.session.startJob('queue', { strategy: 'fps', upTo }).id);
      assert.equal(job.state, 'done', job.error ?? '');
    }
    assert.equal(loadLatestQueueOrder(first.session.project.db, 'fps', 1)?.sampleIds.length, N, 'the whole order is kept');
  } finally {
    await first.session.close();
  }

  const again = open(file);
  try {
    const last = await again.call<QueuePage>('getQueue', { offset: N - 50, limit: 100 });
    assert.equal(last.computing ?? null, null, 'served without waiting for a job');
    assert.equal(last.total, N);
    assert.equal(last.entries.length, 50);
    await again.call('nextToLabel', {});
    assert.deepEqual(last.entries, (await again.call<QueuePage>('getQueue', { offset: N - 50, limit: 100 })).entries);
  } finally {
    await again.session.close();
  }
});
