import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { typiclustOrder } from '../../src/main/evaluation/strategies/index';
import { workerThreadChannel } from '../../src/main/jobs/compute-channel';
import { Project } from '../../src/main/project/project';
import { setCurrentModelId } from '../../src/main/project/settings';
import { createHandlers, dispatch } from '../../src/main/services/handlers';
import { Session } from '../../src/main/services/session';
import type { AnnotationRecord, QueuePage } from '../../src/shared/domain';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

/** A real project file whose sample i (id i + 1) has the 2-D embedding points[i]. */
function makeProject(name: string, points: [number, number][]): string {
  const project = Project.create(path.join(dir, name));
  const { db } = project;
  db.transaction(() => {
    const addSample = db.prepare(
      "INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')",
    );
    const model = Number(
      db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'cpu', 'now')").run(JSON.stringify({ latentDim: 2 })).lastInsertRowid,
    );
    const addVector = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
    points.forEach((p, i) => {
      const id = Number(addSample.run(`/images/p${i}.png`, `hash-${i}`).lastInsertRowid);
      assert.equal(id, i + 1);
      addVector.run(model, id, Buffer.from(Float32Array.from(p).buffer));
    });
    setCurrentModelId(db, model);
  })();
  project.close();
  return project.path;
}

function open(file: string) {
  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  return { session, call };
}

const ids = (page: QueuePage) => page.entries.map((e) => e.sampleId);

/**
 * fps-dense on a line: eight dense samples at x = 0..7 (ids 1..8) and two
 * outliers at 50 and 100 (ids 9, 10). Typicality (inverse mean distance to
 * the 9 others) puts the two outliers in the lowest 20 %. FPS over the dense
 * eight from nothing: start farthest from their mean 3.5 (x = 0 and 7 tie:
 * lowest id, x = 0), then 7, then 3 (3 and 4 tie at distance 3), then 5,
 * then 1, 2, 4, 6 (all at distance 1); then the outliers continue the
 * traversal: 100 (93 away), 50. Plain FPS would start at 100.
 */
const LINE: [number, number][] = [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [50, 0], [100, 0]];
const x = (xs: number[]) => xs.map((v) => LINE.findIndex((p) => p[0] === v) + 1);

test('fps-dense orders the dense samples first (hand-checked), reacts to an out-of-order label, and is recorded with the label', async () => {
  const file = makeProject('dense.farpoint', LINE);
  const { session, call } = open(file);
  try {
    const fps = await call<QueuePage>('getQueue', { offset: 0, limit: 3, strategy: 'fps' });
    assert.deepEqual(ids(fps), x([100, 0, 50]), 'plain FPS starts at the outlier');
    const dense = await call<QueuePage>('getQueue', { offset: 0, limit: 10, strategy: 'fps-dense' });
    assert.equal(dense.strategy, 'fps-dense');
    assert.equal(dense.total, 10);
    assert.deepEqual(ids(dense), x([0, 7, 3, 5, 1, 2, 4, 6, 100, 50]));
    assert.deepEqual(dense.entries.map((e) => e.novelty), [null, 7, 3, 2, 1, 1, 1, 1, 93, 43]);

    // The project's strategy: the queue (and so the label) follows it.
    await call('updateSettings', { strategy: 'fps-dense' });
    const head = await call<QueuePage>('getQueue', { offset: 0, limit: 1 });
    assert.equal(head.strategy, 'fps-dense');
    // Labeling the head: the rest is unchanged.
    await call('saveLabel', { sampleId: x([0])[0], angle: 10, queueRank: 1, strategy: head.strategy });
    assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 9 })), x([7, 3, 5, 1, 2, 4, 6, 100, 50]));
    // Out of order (x = 3 while 7 is next): the order restarts from the labeled {0, 3}: 7 (4 away), 5, then 1, 2, 4, 6.
    await call('saveLabel', { sampleId: x([3])[0], angle: 20, queueRank: 2, strategy: 'fps-dense' });
    assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 8 })), x([7, 5, 1, 2, 4, 6, 100, 50]));
    const history = await call<AnnotationRecord[]>('annotationHistory', { sampleId: x([3])[0] });
    assert.equal(history[0]!.strategy, 'fps-dense');
  } finally {
    session.close();
  }
});

/**
 * typiclust on two clusters: A (ids 1–6) around the origin, B (ids 7–11)
 * around x = 100. With nothing labeled and a batch of 2, k-means finds A and
 * B; the larger, A, comes first; from each the most typical sample — the one
 * with the smallest mean distance to the others: the centres (0,0) = id 1 and
 * (100,0) = id 7.
 */
const TWO: [number, number][] = [
  [0, 0], [1, 0], [-1, 0], [0, 1], [0, -1], [2, 0],
  [100, 0], [101, 0], [99, 0], [100, 1], [100, -1],
];

test('typiclust picks a batch at a time (hand-checked), keeps its current batch through out-of-order labels, and stores it', async () => {
  const file = makeProject('typiclust.farpoint', TWO);
  const { session, call } = open(file);
  try {
    await call('updateSettings', { strategy: 'typiclust', typiclustBatch: 2 });
    const page = await call<QueuePage>('getQueue', { offset: 0, limit: 11 });
    assert.equal(page.strategy, 'typiclust');
    assert.equal(page.total, 11);
    assert.deepEqual(ids(page).slice(0, 2), [1, 7], 'the current batch: the centre of A, then of B');
    // The predicted batches equal the evaluation's TypiClust order in batches of 2 (nothing labeled at the start).
    const points = { vectors: Float32Array.from(TWO.flat()), dim: 2, count: TWO.length };
    assert.deepEqual(ids(page).slice(0, 6), typiclustOrder(points, [2, 2, 2], { seed: 1 }).map((r) => r + 1));
    assert.deepEqual([...ids(page)].sort((a, b) => a - b), [...Array(11).keys()].map((k) => k + 1), 'every sample once');
    assert.equal(page.entries[0]!.novelty, null);
    assert.equal(page.entries[1]!.novelty, 100);

    // An out-of-order label outside the batch: the batch keeps its members; later batches know the label.
    await call('saveLabel', { sampleId: 11, angle: 5, queueRank: null, strategy: 'typiclust' });
    assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 2 })), [1, 7]);
    // Labeling a batch member out of order (7 before 1): the batch keeps its unlabeled member, 1.
    await call('saveLabel', { sampleId: 7, angle: 5, queueRank: 2, strategy: 'typiclust' });
    const after = await call<QueuePage>('getQueue', { offset: 0, limit: 10 });
    assert.equal(after.entries[0]!.sampleId, 1);
    assert.equal(after.total, 9);
    session.close();

    // The batch is stored in the project: another process (the CLI) sees the same head.
    const cli = runCli(['queue', file, '--limit', '1', '--json']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(ids(JSON.parse(cli.stdout) as QueuePage), [1]);
    // Labeling it through the CLI records the strategy; the next batch is chosen with every label known.
    const labeled = runCli(['label', file, '1', '30', '--json']);
    assert.equal(labeled.status, 0, labeled.stderr);
    const record = JSON.parse(labeled.stdout) as AnnotationRecord;
    assert.deepEqual([record.strategy, record.queueRank], ['typiclust', 1]);
    const next = JSON.parse(runCli(['queue', file, '--limit', '8', '--json']).stdout) as QueuePage;
    assert.equal(next.total, 8);
    assert.ok(!ids(next).some((id) => [1, 7, 11].includes(id)), 'no labeled sample in the queue');
  } finally {
    if (session.hasProject) session.close();
  }
});

test('CLI: queue --strategy typiclust|fps-dense with --batch, and clear errors', () => {
  const file = makeProject('cli.farpoint', TWO);
  const dense = runCli(['queue', file, '--strategy', 'fps-dense', '--limit', '3', '--json']);
  assert.equal(dense.status, 0, dense.stderr);
  assert.equal((JSON.parse(dense.stdout) as QueuePage).strategy, 'fps-dense');
  const typi = runCli(['queue', file, '--strategy', 'typiclust', '--batch', '2', '--limit', '4', '--json']);
  assert.equal(typi.status, 0, typi.stderr);
  const points = { vectors: Float32Array.from(TWO.flat()), dim: 2, count: TWO.length };
  assert.deepEqual(ids(JSON.parse(typi.stdout) as QueuePage), typiclustOrder(points, [2, 2], { seed: 1 }).map((r) => r + 1));
  const human = runCli(['queue', file, '--strategy', 'typiclust', '--batch', '2', '--limit', '2']);
  assert.match(human.stdout, /^typiclust queue of 11 samples/m);
  assert.match(human.stdout, /^\s*1\s+1\s+—\s+\/images\/p0\.png/m);
  const badBatch = runCli(['queue', file, '--strategy', 'typiclust', '--batch', '0']);
  assert.equal(badBatch.status, 1);
  assert.match(badBatch.stderr, /--batch must be an integer from 1 to 1000, got '0'/);
});
