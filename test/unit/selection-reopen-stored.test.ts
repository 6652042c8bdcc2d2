import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import type { QueuePage } from '../../src/shared/domain';
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
