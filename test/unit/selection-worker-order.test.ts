import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import { SLICE_BUILD_POOL, SelectionService } from '../../src/main/stages/select/selection-service';
import { saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import type { QueueEntry, QueuePage } from '../../src/shared/domain';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

/** A project of `n` samples with uniform random embeddings of `dim` dimensions (ids 1..n) and the given samples labeled. */
function makeProject(file: string, n: number, dim: number, labeled: number[]): void {
  const random = seededRandom(n + dim);
  writeEmbeddedProject(file, n, () => Float32Array.from({ length: dim }, () => random() * 2 - 1));
  const project = Project.open(file);
  try {
    for (const id of labeled) saveHandLabel(project.db, 'test', { sampleId: id, angle: 10, queueRank: null, strategy: 'fps' });
  } finally {
    project.close();
  }
}

/** The order computed in this thread, synchronously, as the CLI computes it (a copy of the file, so nothing it stores is shared). */
function inProcess(file: string, strategy: 'fps' | 'typiclust' | 'fps-dense', limit: number): QueueEntry[] {
  const copy = `${file}.copy-${strategy}.farpoint`;
  fs.copyFileSync(file, copy);
  const project = Project.open(copy);
  try {
    return new SelectionService(project.db).page(strategy, 0, limit).entries;
  } finally {
    project.close();
  }
}

const view = (entries: QueueEntry[]) => entries.map((e) => [e.rank, e.sampleId, e.novelty]);

/**
 * On a large pool the server computes no order on its thread: it loads the
 * matrix a slice at a time, answers pages with 'computing' meanwhile, and the
 * queue job builds each strategy's order in the compute worker. What it
 * serves then must be the order the CLI computes in-process, bit for bit
 * (sample ids and novelty), for FPS and the density strategies alike.
 */
test('orders built by the queue job in the compute worker equal the in-process orders, and a large pool is built in slices while nextToLabel still answers', async () => {
  const n = SLICE_BUILD_POOL + 500;
  const dim = 4;
  const file = path.join(tempDir(), 'worker-order.farpoint');
  makeProject(file, n, dim, [5, 977, 4242, 8000]);
  const expected = {
    fps: inProcess(file, 'fps', 150),
    typiclust: inProcess(file, 'typiclust', 150),
    'fps-dense': inProcess(file, 'fps-dense', 150),
  };

  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  try {
    // The first request finds the pool unbuilt: nothing computed here, the job started.
    const first = await call<QueuePage>('getQueue', { offset: 0, limit: 150, strategy: 'fps' });
    assert.ok(first.computing, 'the first page of a large pool is computing');
    assert.equal(first.entries.length, 0);
    // nextToLabel waits for the build (without blocking the thread) and answers the exact head.
    const next = await call<QueueEntry | null>('nextToLabel', { strategy: 'fps' });
    assert.deepEqual(next && [next.sampleId, next.novelty], [expected.fps[0]!.sampleId, expected.fps[0]!.novelty]);

    for (const strategy of ['fps', 'typiclust', 'fps-dense'] as const) {
      let page = await call<QueuePage>('getQueue', { offset: 0, limit: 150, strategy });
      for (let round = 0; page.computing && round < 20; round++) {
        const job = await session.jobs.waitFor(page.computing.jobId);
        assert.equal(job.state, 'done', job.error ?? '');
        page = await call<QueuePage>('getQueue', { offset: 0, limit: 150, strategy });
      }
      assert.equal(page.computing ?? null, null, `${strategy}: the queue job's order was never served`);
      assert.deepEqual(view(page.entries), view(expected[strategy]), `${strategy}: the order served from the compute worker differs from the in-process order`);
    }
    const jobs = session.jobs.list().filter((j) => j.kind === 'queue');
    assert.ok(jobs.some((j) => (j.result as { computed?: number } | null)?.computed !== undefined && (j.result as { computed: number }).computed < n), 'a page asks for a head, not the whole order');
  } finally {
    await session.close();
  }
});
