import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AnnotationRecord, QueueEntry, ReviewActionResult, ReviewCursor, ReviewPage, ReviewSample, ReviewSort } from '../../src/shared/domain';
import { statusHistory } from '../../src/main/store/status-changes';
import { startBackend, type TestBackend } from '../helpers/backend';
import { plantedProject, type PlantedProject } from '../helpers/duplicates-fixture';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
let planted: PlantedProject;
let backend: TestBackend;

async function call<T>(name: string, arg: unknown = {}): Promise<T> {
  const res = await backend.call(name, arg);
  if (res.status !== 200) throw new Error(`${name} failed (${res.status}): ${res.body.error}`);
  return res.body.result as T;
}

/** Every page of a query, following `next`, so the keyset paging is what is tested. */
async function everyPage(query: Record<string, unknown>, limit = 4): Promise<ReviewSample[]> {
  const out: ReviewSample[] = [];
  let after: ReviewCursor | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page: ReviewPage = await call<ReviewPage>('reviewSamples', { ...query, limit, after });
    assert.equal(page.facets === null, after !== null, 'counts come with the first page only');
    assert.equal(page.total === null, after !== null);
    out.push(...page.samples);
    if (!page.next) return out;
    after = page.next;
  }
  throw new Error('paging did not end');
}

let ids: number[] = [];

before(async () => {
  planted = await plantedProject(dir, { distinct: 20, groups: 2 });
  backend = await startBackend(planted.projectPath);
  ids = (await call<ReviewPage>('reviewSamples', { limit: 1000 })).samples.map((s) => s.id);
  // Labels by two annotators under two strategies, angles spread over the circle.
  const angles = [350, 10, 90, 180, 270, 45, 5];
  for (const [k, angle] of angles.entries()) {
    await call<AnnotationRecord>('saveLabel', { sampleId: ids[k]!, angle, queueRank: 7 - k, strategy: k % 2 === 0 ? 'fps' : 'random' });
  }
  // A second annotator: written through the store as the app would with another name.
  const { db } = backend.session.project;
  const { saveHandLabel } = await import('../../src/main/store/annotations');
  saveHandLabel(db, 'bea', { sampleId: ids[7]!, angle: 120, queueRank: null, strategy: 'typiclust' });
  await call('setSampleStatus', { sampleIds: [ids[10]!, ids[11]!], status: 'excluded' });
});
after(() => backend?.close());

test('counts per filter add up, and each filter lists exactly its samples', async () => {
  const page = await call<ReviewPage>('reviewSamples', {});
  const n = ids.length;
  assert.equal(page.facets!.counts.all, n);
  assert.equal(page.facets!.counts.labeled, 8);
  assert.equal(page.facets!.counts.excluded, 2);
  assert.equal(page.facets!.counts.unlabeled, n - 8 - 2);
  assert.equal(page.facets!.counts.propagated, 0);
  assert.deepEqual(page.facets!.authors.map((a) => a.name).sort(), [backend.session.project.author, 'bea'].sort());
  assert.equal(page.facets!.authors.find((a) => a.name === 'bea')!.count, 1);
  assert.deepEqual(Object.fromEntries(page.facets!.strategies.map((s) => [s.name, s.count])), { fps: 4, random: 3, typiclust: 1 });

  const labeled = await everyPage({ filter: 'labeled' });
  assert.deepEqual(labeled.map((s) => s.id), ids.slice(0, 8));
  assert.ok(labeled.every((s) => s.angle !== null && s.labeledAt !== null && s.author !== null));
  const excluded = await everyPage({ filter: 'excluded' });
  assert.deepEqual(excluded.map((s) => s.id), [ids[10], ids[11]]);
  const unlabeled = await everyPage({ filter: 'unlabeled' });
  assert.equal(unlabeled.length, n - 10);
  assert.ok(unlabeled.every((s) => s.angle === null && s.status === 'active'));
});

test('annotator, strategy and angle range (also one wrapping through 0°) narrow the labels', async () => {
  const bea = await everyPage({ author: 'bea' });
  assert.deepEqual(bea.map((s) => s.id), [ids[7]]);
  const random = await everyPage({ strategy: 'random' });
  assert.deepEqual(random.map((s) => s.id), [ids[1], ids[3], ids[5]]);
  const quarter = await everyPage({ angleMin: 40, angleMax: 130 });
  assert.deepEqual(quarter.map((s) => s.angle), [90, 45, 120]);
  const nearZero = await everyPage({ angleMin: 340, angleMax: 20 });
  assert.deepEqual(nearZero.map((s) => s.angle), [350, 10, 5]);
  const page = await call<ReviewPage>('reviewSamples', { angleMin: 340, angleMax: 20 });
  assert.equal(page.total, 3, 'the total counts every criterion');
});

test('search matches part of the file path in any case', async () => {
  const target = planted.distinct[3]!;
  const name = target.split('/').pop()!;
  const found = await everyPage({ search: name.toUpperCase() });
  assert.deepEqual(found.map((s) => s.path), [target]);
  assert.equal((await everyPage({ search: 'no-such-file-anywhere' })).length, 0);
});

/** The reference order of a sort, computed here from the whole list. */
function reference(all: ReviewSample[], sort: ReviewSort, descending: boolean): number[] {
  const key = (s: ReviewSample): number | string | null =>
    sort === 'id' ? s.id : sort === 'name' ? s.path : sort === 'angle' ? s.angle : sort === 'rank' ? s.queueRank : s.labeledAt;
  const sign = descending ? -1 : 1;
  const keyed = all.filter((s) => key(s) !== null);
  const rest = all.filter((s) => key(s) === null).sort((a, b) => sign * (a.id - b.id));
  keyed.sort((a, b) => {
    const ka = key(a)!;
    const kb = key(b)!;
    if (ka !== kb) return sign * (ka < kb ? -1 : 1);
    return sign * (a.id - b.id);
  });
  return [...keyed, ...rest].map((s) => s.id);
}

test('every sort pages by key through every sample once, label sorts putting unlabeled samples last', async () => {
  const all = await everyPage({}, 1000);
  assert.equal(all.length, ids.length);
  for (const sort of ['id', 'name', 'labeledAt', 'angle', 'rank'] as const) {
    for (const descending of [false, true]) {
      const paged = await everyPage({ sort, descending }, 3);
      assert.deepEqual(paged.map((s) => s.id), reference(all, sort, descending), `${sort} ${descending ? 'descending' : 'ascending'}`);
    }
  }
});

test('bad review arguments are refused with a message naming the field', async () => {
  const half = await backend.call('reviewSamples', { angleMin: 10 });
  assert.equal(half.status, 400);
  assert.match(half.body.error!, /angleMax: an angle range needs both angleMin and angleMax/);
  const sort = await backend.call('reviewSamples', { sort: 'colour' });
  assert.equal(sort.status, 400);
  assert.match(sort.body.error!, /sort/);
  const empty = await backend.call('reviewAction', { action: 'include', sampleIds: [] });
  assert.equal(empty.status, 400);
  assert.match(empty.body.error!, /select at least one sample/);
  const unknown = await backend.call('reviewAction', { action: 'exclude', sampleIds: [ids[0]!, 999_999] });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error!, /no sample with id 999999/);
  assert.equal((await call<ReviewPage>('reviewSamples', { filter: 'excluded' })).total, 2, 'nothing changed on a refused request');
});

test('bulk include and exclude change every selected sample in one step and log who did it', async () => {
  const excluded = await call<ReviewActionResult>('reviewAction', { action: 'exclude', sampleIds: [ids[12]!, ids[13]!, ids[10]!] });
  assert.deepEqual(excluded.changed, [ids[12], ids[13]]);
  assert.deepEqual(excluded.unchanged, [ids[10]]);
  assert.equal((await call<ReviewPage>('reviewSamples', { filter: 'excluded' })).total, 4);
  const included = await call<ReviewActionResult>('reviewAction', { action: 'include', sampleIds: [ids[10]!, ids[11]!, ids[12]!, ids[13]!] });
  assert.deepEqual(included.changed.sort((a, b) => a - b), [ids[10], ids[11], ids[12], ids[13]].sort((a, b) => a! - b!));
  assert.equal((await call<ReviewPage>('reviewSamples', { filter: 'excluded' })).total, 0);
  const listed = (await everyPage({}, 1000)).find((s) => s.id === ids[12])!;
  assert.equal(listed.statusChange?.status, 'active', 'the listing shows the latest status change');
  assert.match(listed.statusChange!.reason!, /^include in review by /);
  const history = statusHistory(backend.session.project.db, ids[12]!);
  assert.deepEqual(history.map((h) => h.status), ['excluded', 'active']);
  assert.ok(history.every((h) => h.reason!.includes(backend.session.project.author)), 'each change names the annotator');
  const queue = await call<{ entries: QueueEntry[] }>('getQueue', { limit: 1000 });
  assert.ok(queue.entries.some((e) => e.sampleId === ids[12]), 'an included sample is queued again');
});

test('the skipped filter lists this session\'s skips, and clearing a skip brings only that sample back', async () => {
  const first = await call<QueueEntry>('nextToLabel', {});
  await call('skipSample', { sampleId: first.sampleId });
  const second = await call<QueueEntry>('nextToLabel', {});
  await call('skipSample', { sampleId: second.sampleId });
  const skipped = await everyPage({ filter: 'skipped' });
  assert.deepEqual(skipped.map((s) => s.id).sort((a, b) => a - b), [first.sampleId, second.sampleId].sort((a, b) => a - b));
  assert.ok(skipped.every((s) => s.skipped));
  assert.equal((await call<ReviewPage>('reviewSamples', {})).facets!.counts.skipped, 2);
  const cleared = await call<ReviewActionResult>('reviewAction', { action: 'clearSkip', sampleIds: [first.sampleId, ids[0]!] });
  assert.deepEqual(cleared.changed, [first.sampleId]);
  assert.deepEqual(cleared.unchanged, [ids[0]]);
  assert.deepEqual((await everyPage({ filter: 'skipped' })).map((s) => s.id), [second.sampleId]);
  const queue = await call<{ entries: QueueEntry[]; skipped: number }>('getQueue', { limit: 1000 });
  assert.equal(queue.skipped, 1);
  assert.equal(queue.entries.find((e) => e.sampleId === first.sampleId)?.skipped, false);
});
