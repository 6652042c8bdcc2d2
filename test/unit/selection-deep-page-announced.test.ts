import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import { SLICE_BUILD_POOL, SelectionService } from '../../src/main/stages/select/selection-service';
import { Project } from '../../src/main/store/project';
import type { QueuePage } from '../../src/shared/domain';
import type { FullOrderProgress } from '../../src/main/stages/select/selection-service';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const OFFSET = 4_000;
const LIMIT = 50;

/** A project of `n` samples with uniform random 4-dimensional embeddings. */
function uniformProject(name: string, seed: number, n: number): string {
  const file = path.join(tempDir(), `${name}.farpoint`);
  const random = seededRandom(seed);
  writeEmbeddedProject(file, n, () => Float32Array.from({ length: 4 }, () => random() * 2 - 1));
  return file;
}

/**
 * A jump deep into a large pool's queue: the queue job computes the order to
 * twice the page's depth, but the page is there once its rank is stored. The
 * job's progress says so while it runs (the front end asks for its pages
 * again on every progress), unthrottled, and a page asked for then is served
 * from what is stored.
 */
test('a deep page of a large pool is served as soon as the queue job reports its rank stored, while the job goes on', async () => {
  const file = uniformProject('deep-page', 11, SLICE_BUILD_POOL + 500);
  const copy = `${file}.copy.farpoint`;
  fs.copyFileSync(file, copy);
  const reference = Project.open(copy);
  const expected = new SelectionService(reference.db).page('fps', OFFSET, LIMIT).entries.map((e) => [e.rank, e.sampleId, e.novelty]);
  reference.close();

  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const getQueue = (offset: number) => dispatch(handlers, 'getQueue', { offset, limit: LIMIT, strategy: 'fps' }) as Promise<QueuePage>;
  try {
    const head = await getQueue(0);
    if (head.computing) await session.jobs.waitFor(head.computing.jobId);

    let jobId = '';
    let asked: Promise<QueuePage> | null = null;
    const unsubscribe = session.events.subscribe((event) => {
      if (asked || event.type !== 'job' || event.job.id !== jobId || event.job.state !== 'running') return;
      const stored = event.job.progress.extra?.stored;
      if (typeof stored === 'number' && stored >= OFFSET + LIMIT) asked = getQueue(OFFSET);
    });
    const deep = await getQueue(OFFSET);
    assert.ok(deep.computing, 'a page this deep is computed by the queue job');
    jobId = deep.computing.jobId;
    const job = await session.jobs.waitFor(jobId);
    unsubscribe();
    assert.equal(job.state, 'done', job.error ?? '');
    assert.ok((job.result as { computed: number }).computed > OFFSET + LIMIT, 'the job went on past the page');
    assert.ok(asked, 'no progress of the running job said the page\'s rank was stored');
    const page = await (asked as Promise<QueuePage>);
    assert.equal(page.computing ?? null, null);
    assert.deepEqual(page.entries.map((e) => [e.rank, e.sampleId, e.novelty]), expected);
  } finally {
    await session.close();
  }
});

/**
 * The stretch from the head to a deep page's rank is one chunk that takes
 * minutes at a million samples: the job reports progress within it (counting
 * toward that rank, and checking for a cancel), and each stored head as
 * complete (done = total), which the compute worker never throttles away.
 */
test('the queue job reports progress toward the page\'s rank within its long chunk, and each stored head as complete', async () => {
  const project = Project.open(uniformProject('deep-progress', 12, 6_000));
  try {
    const reports: FullOrderProgress[] = [];
    const summary = await new SelectionService(project.db).computeFullOrder((p) => reports.push(p), () => false, 'fps', 2 * (OFFSET + LIMIT), OFFSET + LIMIT);
    assert.equal(summary.computed, 6_000);
    const within = reports.filter((p) => p.done > 100 && p.done < OFFSET + LIMIT);
    assert.ok(within.length >= 5, `progress within the stretch to the page: ${reports.map((p) => p.done).join(', ')}`);
    assert.ok(within.every((p) => p.total === OFFSET + LIMIT && p.stored === 100), 'progress counts toward the page\'s rank, with the head stored so far');
    const stored = reports.filter((p) => p.stored === p.done);
    assert.deepEqual(stored.map((p) => [p.done, p.total]), [[100, 100], [OFFSET + LIMIT, OFFSET + LIMIT]]);
  } finally {
    project.close();
  }
});

test('a cancel within the long chunk stops the queue job there', async () => {
  const project = Project.open(uniformProject('deep-cancel', 13, 6_000));
  try {
    let last = 0;
    const run = new SelectionService(project.db).computeFullOrder((p) => (last = p.done), () => last > 1_000, 'fps', 2 * (OFFSET + LIMIT), OFFSET + LIMIT);
    await assert.rejects(run, /cancel/i);
    assert.ok(last < OFFSET, `computed on to ${last} after the cancel`);
  } finally {
    project.close();
  }
});
