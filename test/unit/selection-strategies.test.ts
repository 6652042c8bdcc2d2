import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { autoOrder, probcoverOrder, typiclustOrder } from '../../src/main/core/strategies/index';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { DENSITY_MAIN_THREAD_POOL, SelectionService } from '../../src/main/stages/select/selection-service';
import { Session } from '../../src/main/app/session';
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
    // Labeling it through the CLI records the strategy and the rank as saveLabel counts it for the UI:
    // the two labels stored plus its position (1); the next batch is chosen with every label known.
    const labeled = runCli(['label', file, '1', '30', '--json']);
    assert.equal(labeled.status, 0, labeled.stderr);
    const record = JSON.parse(labeled.stdout) as AnnotationRecord;
    assert.deepEqual([record.strategy, record.queueRank], ['typiclust', 3]);
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

test('getQueue with another typiclustBatch previews that batch size without storing it or changing the project setting', async () => {
  const file = makeProject('preview.farpoint', TWO);
  const points = { vectors: Float32Array.from(TWO.flat()), dim: 2, count: TWO.length };
  const { session, call } = open(file);
  try {
    await call('updateSettings', { typiclustBatch: 4 });
    const preview = await call<QueuePage>('getQueue', { offset: 0, limit: 4, strategy: 'typiclust', typiclustBatch: 2 });
    assert.deepEqual(ids(preview), typiclustOrder(points, [2, 2], { seed: 1 }).map((r) => r + 1));
    const status = await call<{ settings: { typiclustBatch: number } }>('getStatus', {});
    assert.equal(status.settings.typiclustBatch, 4, 'the setting is unchanged');
    // The project's own queue still picks 4 at a time, before and after a preview, as does a preview of the project's size.
    const own = typiclustOrder(points, [4], { seed: 1 }).map((r) => r + 1);
    assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 4, strategy: 'typiclust' })), own);
    assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 4, strategy: 'typiclust', typiclustBatch: 4 })), own);
    await assert.rejects(call('getQueue', { strategy: 'typiclust', typiclustBatch: 0 }), /invalid argument for getQueue: typiclustBatch/);
  } finally {
    if (session.hasProject) session.close();
  }
});

test('a TypiClust preview on a pool above the main-thread limit is refused with the reason (it would be computed on the server\'s thread)', async () => {
  const big: [number, number][] = Array.from({ length: DENSITY_MAIN_THREAD_POOL + 1 }, (_, i) => [i % 97, Math.floor(i / 97)]);
  const file = makeProject('preview-large.farpoint', big);
  const { session, call } = open(file);
  try {
    await assert.rejects(call('getQueue', { offset: 0, limit: 4, strategy: 'typiclust', typiclustBatch: 2 }), (err: Error & { status?: number }) => {
      assert.equal(err.status, 409);
      assert.match(err.message, /TypiClust preview with batch 2 .* up to 2,000 samples/);
      return true;
    });
  } finally {
    if (session.hasProject) session.close();
  }
});

test('probcover and auto through the handlers and the CLI: the evaluation order for the project seed, recorded with the label', async () => {
  const file = makeProject('cover.farpoint', TWO);
  const points = { vectors: Float32Array.from(TWO.flat()), dim: 2, count: TWO.length };
  for (const [strategy, order] of [['probcover', probcoverOrder], ['auto', autoOrder]] as const) {
    const cli = runCli(['queue', file, '--strategy', strategy, '--limit', '11', '--json']);
    assert.equal(cli.status, 0, cli.stderr);
    const page = JSON.parse(cli.stdout) as QueuePage;
    assert.equal(page.strategy, strategy);
    assert.deepEqual(ids(page), order(points, { seed: 1 }).map((r) => r + 1), strategy);
  }
  const { session, call } = open(file);
  try {
    await call('updateSettings', { strategy: 'auto' });
    const head = await call<QueuePage>('getQueue', { offset: 0, limit: 3 });
    assert.equal(head.strategy, 'auto');
    await call('saveLabel', { sampleId: head.entries[1]!.sampleId, angle: 10, queueRank: 2, strategy: 'auto' });
    const after = await call<QueuePage>('getQueue', { offset: 0, limit: 3 });
    const labeled = [head.entries[1]!.sampleId - 1];
    assert.deepEqual(ids(after), autoOrder(points, { seed: 1, known: labeled, limit: 3 }).map((r) => r + 1));
    const history = await call<AnnotationRecord[]>('annotationHistory', { sampleId: head.entries[1]!.sampleId });
    assert.equal(history[0]!.strategy, 'auto');
  } finally {
    if (session.hasProject) session.close();
  }
});

test('a large pool gets its coverage order from the queue job (off the main thread), then serves and advances it', async () => {
  const file = makeProject('cover-job.farpoint', TWO);
  const points = { vectors: Float32Array.from(TWO.flat()), dim: 2, count: TWO.length };
  const expected = probcoverOrder(points, { seed: 1 }).map((r) => r + 1);
  const project = Project.open(file);
  try {
    // A pool limit of 0 makes every pool "large" for this service.
    const live = new SelectionService(project.db, undefined, { coverMainThreadPool: 0 });
    const before = live.pageWithin('probcover', 0, 5, 1_000);
    assert.equal(before.pending, true);
    assert.deepEqual(before.page.entries, []);
    const worker = new SelectionService(project.db);
    const summary = await worker.computeFullOrder(() => undefined, () => false, 'probcover');
    assert.equal(summary.stored, true);
    const after = live.pageWithin('probcover', 0, 11, 1_000);
    assert.equal(after.pending, false);
    assert.deepEqual(ids(after.page), expected);
  } finally {
    project.close();
  }
});

test('moveToFront puts samples at the head (FPS order among them), survives a restart, and clears as they get labeled', async () => {
  const file = makeProject('front.farpoint', LINE);
  let { session, call } = open(file);
  try {
    // Selection x = 4, 5, 6: FPS among them starts farthest from their mean 5 (4 and 6 tie: lowest id, 4), then 6, then 5.
    // The queue then continues as if they were labeled: 100 (94 away), 50 (44), 0 (4), 2 (2), then 1, 3, 7 (1 each).
    const moved = await call<{ moved: number; ignored: number; front: number }>('moveToFront', { sampleIds: x([5, 6, 4]) });
    assert.deepEqual(moved, { moved: 3, ignored: 0, front: 3 });
    const page = await call<QueuePage>('getQueue', { offset: 0, limit: 10, strategy: 'fps' });
    assert.deepEqual(ids(page), x([4, 6, 5, 100, 50, 0, 2, 1, 3, 7]));
    assert.deepEqual(page.entries.map((e) => e.novelty), [null, 2, 1, 94, 44, 4, 2, 1, 1, 1]);
    // Every strategy starts with the front.
    for (const strategy of ['random', 'typiclust', 'fps-dense'] as const) {
      assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 3, strategy })), x([4, 6, 5]), strategy);
    }
    // A newer request goes first; the older group follows in FPS order from it and the labels (x = 1 and 7):
    // 4 (3 away), then 5 and 6 (1 each, lowest id first). A labeled sample is ignored, an unknown id refused.
    await call('saveLabel', { sampleId: x([7])[0], angle: 1, queueRank: null, strategy: 'fps' });
    await assert.rejects(call('moveToFront', { sampleIds: [x([1])[0], 99] }), /no sample with id 99/);
    await assert.rejects(call('moveToFront', { sampleIds: [] }), /invalid argument for moveToFront: sampleIds/);
    assert.deepEqual(await call('moveToFront', { sampleIds: x([1, 7]) }), { moved: 1, ignored: 1, front: 4 });
    assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 4, strategy: 'fps' })), x([1, 4, 5, 6]));

    // Labeling a front sample out of order: it leaves the front, nothing else moves.
    const rest = ids(await call<QueuePage>('getQueue', { offset: 4, limit: 5, strategy: 'fps' }));
    await call('saveLabel', { sampleId: x([6])[0], angle: 2, queueRank: 2, strategy: 'fps' });
    const afterLabel = await call<QueuePage>('getQueue', { offset: 0, limit: 8, strategy: 'fps' });
    assert.deepEqual(ids(afterLabel), [...x([1, 4, 5]), ...rest]);
    session.close();

    // A restart (a new session on the same file) keeps the front.
    ({ session, call } = open(file));
    assert.deepEqual(ids(await call<QueuePage>('getQueue', { offset: 0, limit: 3, strategy: 'fps' })), x([1, 4, 5]));
    // The CLI sees it too.
    const cli = runCli(['queue', file, '--strategy', 'fps', '--limit', '3', '--json']);
    assert.deepEqual(ids(JSON.parse(cli.stdout) as QueuePage), x([1, 4, 5]));
    for (const v of [1, 4, 5]) await call('saveLabel', { sampleId: x([v])[0], angle: 3, queueRank: 1, strategy: 'fps' });
    await call<QueuePage>('getQueue', { offset: 0, limit: 1, strategy: 'fps' });
    session.close();
    const project = Project.open(file);
    try {
      const stored = project.db.prepare("SELECT value FROM meta WHERE key = 'queue_front'").get() as { value: string };
      assert.equal(stored.value, '[]', 'labeled samples are cleared from the stored front');
    } finally {
      project.close();
    }
    ({ session, call } = open(file));
    assert.deepEqual(await call('clearFront'), { cleared: 0 });
  } finally {
    if (session.hasProject) session.close();
  }
});
