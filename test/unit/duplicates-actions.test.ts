import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProjectChange } from '../../src/shared/contract';
import type { AnnotationRecord, DuplicateReport, JobInfo, PropagationResult, QueueEntry, QueuePage, ThumbnailPage } from '../../src/shared/domain';
import { loadCurrentEmbeddings } from '../../src/main/store/embedding-store';
import { startBackend, type TestBackend } from '../helpers/backend';
import { plantedProject, type PlantedProject } from '../helpers/duplicates-fixture';
import { tempDir } from '../helpers/temp';
import { savePredictions, setCurrentRegressorId } from '../../src/main/store/prediction-store';

const dir = tempDir();
let planted: PlantedProject;
let backend: TestBackend;
const changes: ProjectChange[][] = [];

async function call<T>(name: string, arg: unknown = {}): Promise<T> {
  const res = await backend.call(name, arg);
  if (res.status !== 200) throw new Error(`${name} failed (${res.status}): ${res.body.error}`);
  return res.body.result as T;
}

before(async () => {
  planted = await plantedProject(dir, { distinct: 30, groups: 4 });
  backend = await startBackend(planted.projectPath);
  backend.session.events.subscribe((event) => {
    if (event.type === 'projectChanged') changes.push(event.what);
  });
});
after(() => backend?.close());

/** The cluster holding a planted group, by its original's path. */
async function groupCluster(group: number) {
  const report = await call<DuplicateReport>('duplicateClusters', { limit: 100 });
  const cluster = report.clusters.find((c) => c.members.some((m) => m.path === planted.groups[group]![0]));
  assert.ok(cluster, `group ${group} is a cluster`);
  return cluster;
}

test('the neighbour graph is built by a job in the compute worker; until then the report says it is missing', async () => {
  const missing = await call<DuplicateReport>('duplicateClusters');
  assert.equal(missing.graphState, 'missing');
  assert.equal(missing.totalClusters, 1, 'byte-identical files are found without a graph');
  const job = await call<JobInfo>('buildNeighbourGraph', { k: 10 });
  assert.equal(job.kind, 'duplicates');
  const done = await backend.session.jobs.waitFor(job.id);
  assert.equal(done.state, 'done', done.error ?? '');
  assert.equal((done.result as { method: string }).method, 'exact');
  const ready = await call<DuplicateReport>('duplicateClusters');
  assert.equal(ready.graphState, 'ready');
  assert.equal(ready.graph!.count, 30 + 4 * 4);
  assert.equal(ready.totalClusters, 4 + 1);
});

test('keep-one-exclude-rest excludes the others in one action, they leave the pool, and restoring undoes it', async () => {
  const cluster = await groupCluster(0);
  const keep = cluster.members.find((m) => m.id !== cluster.representativeId)!.id; // the user picked another member
  const others = cluster.members.map((m) => m.id).filter((id) => id !== keep);
  const queueBefore = await call<QueuePage>('getQueue', { limit: 5000 });
  for (const id of others) assert.ok(queueBefore.entries.some((e) => e.sampleId === id), `sample ${id} is queued before`);
  changes.length = 0;
  const result = await call<{ kept: number; excluded: number[] }>('keepOneExcludeRest', { keepId: keep, memberIds: cluster.members.map((m) => m.id) });
  assert.equal(result.kept, keep);
  assert.deepEqual([...result.excluded].sort((a, b) => a - b), [...others].sort((a, b) => a - b));
  assert.ok(changes.some((what) => what.includes('samples') && what.includes('queue')), 'front ends are told the queue changed');

  const { db } = backend.session.project;
  const statuses = db.prepare(`SELECT id, status FROM samples WHERE id IN (${cluster.members.map((m) => m.id).join(',')})`).all() as { id: number; status: string }[];
  for (const row of statuses) assert.equal(row.status, row.id === keep ? 'active' : 'excluded');
  const reasons = db.prepare(`SELECT reason FROM status_changes WHERE sample_id IN (${others.join(',')})`).pluck().all() as string[];
  assert.deepEqual(reasons, others.map(() => `near-duplicate of sample ${keep}`));
  // Selection reads only active samples: the excluded ones are no longer candidates to label.
  const pool = loadCurrentEmbeddings(db)!;
  for (const id of others) assert.ok(!pool.ids.includes(id), `excluded sample ${id} left the selection pool`);
  assert.ok(pool.ids.includes(keep));
  const unlabeled = await call<ThumbnailPage>('listSamples', { status: 'unlabeled', limit: 5000 });
  for (const id of others) assert.ok(!unlabeled.samples.some((s) => s.id === id));
  const queue = await call<QueuePage>('getQueue', { limit: 5000 });
  assert.equal(queue.total, queueBefore.total - others.length);
  for (const id of others) assert.ok(!queue.entries.some((e) => e.sampleId === id), `the queue no longer offers excluded sample ${id}`);
  // Walking the queue from its head never reaches an excluded sample either.
  const next = await call<QueueEntry | null>('nextToLabel', {});
  assert.ok(next && !others.includes(next.sampleId));

  // The cluster is still listed, its set-aside members marked, so the decision can be reviewed.
  const after = await groupCluster(0);
  assert.equal(after.members.filter((m) => m.status === 'excluded').length, others.length);

  await call('setSampleStatus', { sampleIds: result.excluded, status: 'active' });
  const restored = db.prepare(`SELECT COUNT(*) FROM samples WHERE status = 'excluded'`).pluck().get();
  assert.equal(restored, 0);
  assert.ok(loadCurrentEmbeddings(db)!.ids.includes(others[0]!));
});

test('one member’s label goes to the whole cluster as propagated, hand labels are kept, and clearing reverses it', async () => {
  const cluster = await groupCluster(1);
  const [from, handLabeled, ...rest] = cluster.members.map((m) => m.id) as [number, number, ...number[]];
  await call('saveLabel', { sampleId: from, angle: 30 });
  await call('saveLabel', { sampleId: handLabeled, angle: 200 });
  changes.length = 0;
  const result = await call<PropagationResult>('propagateClusterLabel', { fromId: from, toIds: cluster.members.map((m) => m.id) });
  assert.equal(result.angle, 30);
  assert.deepEqual(result.propagated.sort((a, b) => a - b), rest.sort((a, b) => a - b));
  assert.deepEqual(result.skipped, [{ id: handLabeled, reason: 'has a hand label (200°)' }]);
  assert.ok(changes.some((what) => what.includes('labels')));

  for (const id of rest) {
    const history = await call<AnnotationRecord[]>('annotationHistory', { sampleId: id });
    const last = history.at(-1)!;
    assert.equal(last.source, 'propagated');
    assert.equal(last.propagatedFrom, from);
    assert.equal(last.angle, 30);
  }
  const labeled = await groupCluster(1);
  assert.deepEqual(
    labeled.members.map((m) => [m.id, m.angle, m.angleSource]).sort((a, b) => Number(a[0]) - Number(b[0])),
    [[from, 30, 'hand'], [handLabeled, 200, 'hand'], ...rest.map((id) => [id, 30, 'propagated'])].sort((a, b) => Number(a[0]) - Number(b[0])),
  );

  const cleared = await call<{ cleared: number[] }>('clearPropagatedLabels', { sampleIds: cluster.members.map((m) => m.id) });
  assert.deepEqual(cleared.cleared.sort((a, b) => a - b), rest.sort((a, b) => a - b));
  for (const id of rest) {
    const history = await call<AnnotationRecord[]>('annotationHistory', { sampleId: id });
    assert.deepEqual(history.map((h) => [h.action, h.source, h.angle]), [['set', 'propagated', 30], ['clear', 'propagated', null]], 'history keeps both entries');
  }
  const after = await groupCluster(1);
  assert.equal(after.members.find((m) => m.id === from)!.angle, 30, 'the source keeps its hand label');
  assert.equal(after.members.find((m) => m.id === handLabeled)!.angle, 200);
  for (const id of rest) assert.equal(after.members.find((m) => m.id === id)!.angle, null);
});

test('propagation measures the angle spread from labels and suggestions and refuses above the given limit until confirmed', async () => {
  const cluster = await groupCluster(2);
  const [from, labeled, suggested, ...rest] = cluster.members.map((m) => m.id) as [number, number, number, ...number[]];
  const { db } = backend.session.project;
  await call('saveLabel', { sampleId: from, angle: 358 });
  await call('saveLabel', { sampleId: labeled, angle: 2 });
  // A suggestion of an orientation model, as "train on my labels" stores them.
  const modelId = Number(db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('regressor', 'ready', '{}', 'cpu', '')").run().lastInsertRowid);
  savePredictions(db, modelId, [suggested], [7]);
  setCurrentRegressorId(db, modelId);
  const report = await groupCluster(2);
  assert.equal(report.members.find((m) => m.id === suggested)!.suggestion, 7, 'clusters carry the suggestion');

  // 358° → 7° is 9° through 0°: above a 5° limit, refused with the spread named; nothing is written.
  const refused = await backend.call('propagateClusterLabel', { fromId: from, toIds: cluster.members.map((m) => m.id), maxSpread: 5 });
  assert.equal(refused.status, 409);
  assert.match(refused.body.error!, /spread 9\.0° from sample \d+'s 358\.0°, above the 5° limit/);
  for (const id of [suggested, ...rest]) assert.equal((await call<AnnotationRecord[]>('annotationHistory', { sampleId: id })).length, 0);

  const within = await call<PropagationResult>('propagateClusterLabel', { fromId: from, toIds: cluster.members.map((m) => m.id), maxSpread: 10 });
  assert.equal(within.spread, 9);
  assert.equal(within.knownAngles, 2);
  await call('clearPropagatedLabels', { sampleIds: cluster.members.map((m) => m.id) });
  const confirmed = await call<PropagationResult>('propagateClusterLabel', { fromId: from, toIds: cluster.members.map((m) => m.id), maxSpread: null });
  assert.equal(confirmed.propagated.length, cluster.members.length - 2, 'confirmed: every member but the hand-labeled one');
  await call('clearPropagatedLabels', { sampleIds: cluster.members.map((m) => m.id) });
  const negative = await backend.call('propagateClusterLabel', { fromId: from, toIds: [labeled], maxSpread: -1 });
  assert.equal(negative.status, 400);
  assert.match(negative.body.error!, /maxSpread: the spread limit cannot be negative/);
});

test('bad arguments are refused with a message naming the value', async () => {
  const notMember = await backend.call('keepOneExcludeRest', { keepId: 99, memberIds: [1, 2] });
  assert.equal(notMember.status, 400);
  assert.match(notMember.body.error!, /keepId: keepId must be one of memberIds/);
  const negative = await backend.call('duplicateClusters', { threshold: -1 });
  assert.equal(negative.status, 400);
  assert.match(negative.body.error!, /threshold: the threshold is a distance/);
  const unlabeled = await backend.call('propagateClusterLabel', { fromId: 3, toIds: [4] });
  assert.equal(unlabeled.status, 409);
  assert.match(unlabeled.body.error!, /sample 3 has no label to propagate/);
  const unknown = await backend.call('propagateClusterLabel', { fromId: 99999, toIds: [4] });
  assert.match(unknown.body.error!, /no sample with id 99999/);
});

test('the saved threshold is used until it is reset to the proposal', async () => {
  await call('setDuplicateThreshold', { threshold: 0.001 });
  const strict = await call<DuplicateReport>('duplicateClusters');
  assert.equal(strict.thresholdSource, 'saved');
  assert.equal(strict.threshold, 0.001);
  assert.equal(strict.totalClusters, 1, 'only the byte-identical pair is left at a tiny threshold');
  await call('setDuplicateThreshold', { threshold: null });
  const back = await call<DuplicateReport>('duplicateClusters');
  assert.equal(back.thresholdSource, 'proposed');
  assert.equal(back.totalClusters, 5);
});
