import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import { furthestPointOrder } from '../../src/main/core/selection/furthest-point-order';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import type { CoverageCurve, QueueEntry, QueuePage } from '../../src/shared/domain';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
const N = 240;
const DIM = 8;

/** A real project file with N samples and one ready autoencoder whose synthetic embeddings are clustered. */
function makeProject(name: string): { file: string; vectors: Float32Array; ids: number[] } {
  const project = Project.create(path.join(dir, name));
  const { db } = project;
  const random = seededRandom(3);
  const centers = Array.from({ length: 6 }, () => Array.from({ length: DIM }, () => gaussian(random) * 4));
  const vectors = new Float32Array(N * DIM);
  const ids: number[] = [];
  db.transaction(() => {
    const addSample = db.prepare(
      "INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')",
    );
    for (let i = 0; i < N; i++) ids.push(Number(addSample.run(`/images/img-${i}.png`, `hash-${i}`).lastInsertRowid));
    const model = Number(
      db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'cpu', 'now')").run(JSON.stringify({ latentDim: DIM })).lastInsertRowid,
    );
    const addVector = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
    for (let i = 0; i < N; i++) {
      const c = centers[i % centers.length]!;
      for (let k = 0; k < DIM; k++) vectors[i * DIM + k] = c[k]! + gaussian(random);
      const row = vectors.subarray(i * DIM, (i + 1) * DIM);
      addVector.run(model, ids[i], Buffer.from(row.buffer, row.byteOffset, row.byteLength));
    }
    setCurrentModelId(db, model);
  })();
  project.close();
  return { file: project.path, vectors, ids };
}

function open(file: string) {
  const session = new Session(workerThreadChannel);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  return { session, call };
}

test('the queue over a real project file is the FPS order of its embeddings, seeded by its labels', async () => {
  const { file, vectors, ids } = makeProject('order');
  const { session, call } = open(file);
  const fresh = furthestPointOrder(vectors, DIM);
  const page = await call<QueuePage>('getQueue', { offset: 0, limit: 50 });
  assert.equal(page.strategy, 'fps');
  assert.equal(page.total, N);
  assert.deepEqual(page.entries.map((e) => e.sampleId), [...fresh.order.subarray(0, 50)].map((r) => ids[r]));
  assert.deepEqual(page.entries.map((e) => e.rank), [...Array(50).keys()].map((k) => k + 1));
  assert.equal(page.entries[0]!.novelty, null, 'nothing before the first pick');
  assert.equal(page.entries[1]!.novelty, fresh.novelty[1]);
  assert.equal(page.entries[3]!.path, `/images/img-${fresh.order[3]}.png`);

  // Label the head (as the UI does, with rank and strategy): the next entry is the old second one.
  const head = page.entries[0]!;
  await call('saveLabel', { sampleId: head.sampleId, angle: 30, queueRank: head.rank, strategy: 'fps' });
  const next = await call<QueueEntry>('nextToLabel');
  assert.equal(next.sampleId, page.entries[1]!.sampleId);
  assert.equal(next.rank, 1);

  // Label out of order: the queue equals a fresh order seeded by both labels.
  const deep = page.entries[20]!.sampleId;
  await call('saveLabel', { sampleId: deep, angle: 10, queueRank: 20, strategy: 'fps' });
  const seeded = furthestPointOrder(vectors, DIM, { seeds: [head.sampleId, deep].map((id) => ids.indexOf(id)) });
  const after = await call<QueuePage>('getQueue', { offset: 0, limit: 30 });
  assert.deepEqual(after.entries.map((e) => e.sampleId), [...seeded.order.subarray(0, 30)].map((r) => ids[r]));
  assert.equal(after.total, N - 2);

  // Exclude the new head: it leaves the queue and the rest follows a fresh order without it.
  await call('setSampleStatus', { sampleIds: [after.entries[0]!.sampleId], status: 'excluded' });
  const excludedOrder = furthestPointOrder(vectors, DIM, { seeds: [head.sampleId, deep].map((id) => ids.indexOf(id)), exclude: [ids.indexOf(after.entries[0]!.sampleId)] });
  const afterExclude = await call<QueuePage>('getQueue', { limit: 10 });
  assert.deepEqual(afterExclude.entries.map((e) => e.sampleId), [...excludedOrder.order.subarray(0, 10)].map((r) => ids[r]));

  // Skip the head: it moves to the end, flagged; the new head is the old second.
  const skippedId = afterExclude.entries[0]!.sampleId;
  const newHead = await call<QueueEntry>('skipSample', { sampleId: skippedId });
  assert.equal(newHead.sampleId, afterExclude.entries[1]!.sampleId);
  const tail = await call<QueuePage>('getQueue', { offset: afterExclude.total - 1, limit: 5 });
  assert.deepEqual(tail.entries.map((e) => [e.sampleId, e.skipped, e.rank]), [[skippedId, true, afterExclude.total]]);
  assert.deepEqual(await call('clearSkips'), { cleared: 1 });
  assert.equal((await call<QueueEntry>('nextToLabel')).sampleId, skippedId);

  // The history records the rank the back end read at each save (labels already stored + position in the
  // queue then, whatever rank the UI passed): the head is 1; the deep sample, the 21st of the first order,
  // stood 20th once the head was labeled, so 1 + 20.
  const history = session.project.db.prepare('SELECT queue_rank, strategy FROM annotations ORDER BY id').all();
  assert.deepEqual(history, [{ queue_rank: 1, strategy: 'fps' }, { queue_rank: 21, strategy: 'fps' }]);
  await session.close();
});

test('the random baseline follows the project seed, switches per project and reports novelty', async () => {
  const { file, ids } = makeProject('random');
  const { session, call } = open(file);
  await call('updateSettings', { strategy: 'random', randomSeed: 7 });
  const a = await call<QueuePage>('getQueue', { limit: 20 });
  assert.equal(a.strategy, 'random');
  assert.ok(a.entries.slice(1).every((e) => typeof e.novelty === 'number' && e.novelty > 0));
  await call('updateSettings', { randomSeed: 8 });
  const b = await call<QueuePage>('getQueue', { limit: 20 });
  assert.notDeepEqual(a.entries.map((e) => e.sampleId), b.entries.map((e) => e.sampleId));
  await call('updateSettings', { randomSeed: 7 });
  const again = await call<QueuePage>('getQueue', { limit: 20 });
  assert.deepEqual(again.entries.map((e) => e.sampleId), a.entries.map((e) => e.sampleId));
  // Labeling one entry removes it and keeps the others in place.
  await call('saveLabel', { sampleId: a.entries[3]!.sampleId, angle: 5, queueRank: 4, strategy: 'random' });
  const afterLabel = await call<QueuePage>('getQueue', { limit: 19 });
  assert.deepEqual(afterLabel.entries.map((e) => e.sampleId), a.entries.filter((_, k) => k !== 3).map((e) => e.sampleId));
  // The FPS queue is still available by name.
  const fps = await call<QueuePage>('getQueue', { strategy: 'fps', limit: 3 });
  assert.equal(fps.strategy, 'fps');
  assert.ok(ids.includes(fps.entries[0]!.sampleId));
  await session.close();
});

test('coverage: the covering radius after each label, never rising, equal to a direct computation', async () => {
  const { file, vectors, ids } = makeProject('coverage');
  const { session, call } = open(file);
  const empty = await call<CoverageCurve>('getCoverage');
  assert.deepEqual(empty.points, []);
  assert.equal(empty.current, null);
  assert.equal(empty.projected.length, 200);
  const labelsGiven = [ids[5]!, ids[77]!, ids[130]!, ids[8]!];
  for (const id of labelsGiven) await call('saveLabel', { sampleId: id, angle: 0 });
  const curve = await call<CoverageCurve>('getCoverage');
  assert.deepEqual(curve.points.map((p) => [p.labels, p.sampleId]), labelsGiven.map((id, k) => [k + 1, id]));
  for (let k = 0; k < labelsGiven.length; k++) {
    const labelRows = labelsGiven.slice(0, k + 1).map((id) => ids.indexOf(id));
    let radius = 0;
    for (let i = 0; i < N; i++) {
      if (labelRows.includes(i)) continue;
      let nearest = Infinity;
      for (const r of labelRows) {
        let s = 0;
        for (let d = 0; d < DIM; d++) s += (vectors[i * DIM + d]! - vectors[r * DIM + d]!) ** 2;
        nearest = Math.min(nearest, Math.sqrt(s));
      }
      radius = Math.max(radius, nearest);
    }
    assert.ok(Math.abs(curve.points[k]!.radius - radius) <= 1e-5 * radius, `after ${k + 1} labels: ${curve.points[k]!.radius} vs ${radius}`);
    if (k > 0) assert.ok(curve.points[k]!.radius <= curve.points[k - 1]!.radius);
  }
  assert.equal(curve.current, curve.points[3]!.radius);
  await session.close();
});

test('bad requests name the value at fault', async () => {
  const { file } = makeProject('bad');
  const { session, call } = open(file);
  await assert.rejects(call('getQueue', { strategy: 'best' }), /invalid argument for getQueue: strategy/);
  await assert.rejects(call('getQueue', { limit: 0 }), /invalid argument for getQueue: limit/);
  await assert.rejects(call('skipSample', { sampleId: 99999 }), /no sample with id 99999/);
  await assert.rejects(call('skipSample', { sampleId: -3 }), /invalid argument for skipSample: sampleId/);
  await session.close();
});

test('CLI: queue prints rank, sample id, path and novelty; label records one annotation with rank and strategy', () => {
  const { file, vectors, ids } = makeProject('cli');
  const fresh = furthestPointOrder(vectors, DIM, { limit: 5 });
  const listed = runCli(['queue', file, '--limit', '5', '--json']);
  assert.equal(listed.status, 0, listed.stderr);
  const page = JSON.parse(listed.stdout) as QueuePage;
  assert.deepEqual(page.entries.map((e) => e.sampleId), [...fresh.order].map((r) => ids[r]));
  const human = runCli(['queue', file, '--limit', '3']);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, new RegExp(`^\\s*1\\s+${page.entries[0]!.sampleId}\\s+—\\s+/images/img-\\d+\\.png`, 'm'));
  assert.match(human.stdout, new RegExp(`^\\s*2\\s+${page.entries[1]!.sampleId}\\s+${page.entries[1]!.novelty!.toFixed(4)}\\s`, 'm'));

  const head = page.entries[0]!.sampleId;
  const labeled = runCli(['label', file, String(head), '45', '--json']);
  assert.equal(labeled.status, 0, labeled.stderr);
  const record = JSON.parse(labeled.stdout) as { sampleId: number; angle: number; queueRank: number; strategy: string };
  assert.deepEqual([record.sampleId, record.angle, record.queueRank, record.strategy], [head, 45, 1, 'fps']);
  const next = JSON.parse(runCli(['queue', file, '--limit', '1', '--json']).stdout) as QueuePage;
  assert.equal(next.entries[0]!.sampleId, page.entries[1]!.sampleId);
  // The rank is saveLabel's, as the UI records it: the labels stored (1) plus the position in the queue (1).
  const second = runCli(['label', file, String(next.entries[0]!.sampleId), '390']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`^sample ${next.entries[0]!.sampleId} labeled 30\\.0° \\(rank 2 in the fps queue\\)$`, 'm'));

  const random = runCli(['queue', file, '--strategy', 'random', '--limit', '2', '--json']);
  assert.equal((JSON.parse(random.stdout) as QueuePage).strategy, 'random');

  const badAngle = runCli(['label', file, String(head), 'north']);
  assert.equal(badAngle.status, 1);
  assert.match(badAngle.stderr, /ANGLE_DEG must be a number of degrees from -3600 to 3600, got 'north'/);
  const badId = runCli(['label', file, '0', '10']);
  assert.match(badId.stderr, /SAMPLE_ID must be a positive integer, got '0'/);
  const missing = runCli(['label', file, '99999', '10']);
  assert.equal(missing.status, 3);
  assert.match(missing.stderr, /no sample with id 99999/);
  const badStrategy = runCli(['queue', file, '--strategy', 'smart']);
  assert.match(badStrategy.stderr, /--strategy must be one of fps, random, typiclust, fps-dense, probcover, auto, got 'smart'/);
});

test('the queue job computes the whole order in the compute worker, with progress, and the live queue serves it', async () => {
  const { file, vectors, ids } = makeProject('job');
  const { session, call } = open(file);
  await call('saveLabel', { sampleId: ids[17]!, angle: 90 });
  const progress: number[] = [];
  session.events.subscribe((e) => {
    if (e.type === 'job' && e.job.kind === 'queue' && e.job.state === 'running') progress.push(e.job.progress.done);
  });
  const job = await call<{ id: string }>('computeQueue');
  const done = await session.jobs.waitFor(job.id);
  assert.equal(done.state, 'done', done.error ?? '');
  const result = done.result as { total: number; stored: boolean; head: number[] };
  const fresh = furthestPointOrder(vectors, DIM, { seeds: [17] });
  assert.equal(result.total, N - 1);
  assert.equal(result.stored, true);
  assert.deepEqual(result.head, [...fresh.order.subarray(0, 20)].map((r) => ids[r]));
  assert.ok(progress.length > 0 && progress.every((d) => d <= N - 1), `progress ${progress.join(',')}`);
  const stored = session.project.db.prepare("SELECT length(sample_ids) AS bytes FROM queue_orders WHERE strategy = 'fps'").get() as { bytes: number };
  assert.equal(stored.bytes, (N - 1) * 4);
  // A deep page comes from the stored order, identical to a fresh computation, novelties included.
  const deep = await call<QueuePage>('getQueue', { offset: 200, limit: 39 });
  assert.deepEqual(deep.entries.map((e) => e.sampleId), [...fresh.order.subarray(200, 239)].map((r) => ids[r]));
  assert.deepEqual(deep.entries.map((e) => e.novelty), [...fresh.novelty.subarray(200, 239)]);
  await session.close();
});
