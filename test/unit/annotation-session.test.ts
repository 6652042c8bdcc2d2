import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import { AnnotationSession, describeDecision, type SessionApi } from '../../src/renderer/lib/annotation-session';
import type { AnnotationRecord, QueuePage, SampleInfo } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
const N = 12;

/** A real project file with N samples embedded on a line (so the queue exists), one model. */
function makeProject(name: string): { file: string; ids: number[]; model: number } {
  const project = Project.create(path.join(dir, name));
  const { db } = project;
  const ids: number[] = [];
  let model = 0;
  db.transaction(() => {
    const addSample = db.prepare(
      "INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')",
    );
    for (let i = 0; i < N; i++) ids.push(Number(addSample.run(`/images/img-${i}.png`, `hash-${i}`).lastInsertRowid));
    model = Number(db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', '{\"latentDim\":2}', 'cpu', 'now')").run().lastInsertRowid);
    const addVector = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
    for (let i = 0; i < N; i++) addVector.run(model, ids[i], Buffer.from(new Float32Array([i * i, (i % 3) * 5]).buffer));
    setCurrentModelId(db, model);
  })();
  project.close();
  return { file: project.path, ids, model };
}

const sessions: Session[] = [];
after(async () => {
  for (const s of sessions) await s.close();
});

function open(file: string) {
  const session = new Session(workerThreadChannel);
  sessions.push(session);
  session.open(file);
  const handlers = createHandlers(session);
  const call = <T>(name: string, arg: unknown = {}) => dispatch(handlers, name, arg) as Promise<T>;
  const api = new Proxy({}, { get: (_t, name: string) => (arg: unknown) => call(name, arg) }) as SessionApi;
  return { call, api };
}

test('undo and redo of save, skip, exclude and include give back the exact state before and after', async () => {
  const { file, ids } = makeProject('undo.farpoint');
  const { call, api } = open(file);
  const sample = (id: number) => call<SampleInfo>('getSample', { id });
  const [a, b, c] = ids as [number, number, number];
  const session = new AnnotationSession(api);

  await session.save({ sampleId: a, angle: 98, queueRank: null, strategy: null }, false);
  await session.save({ sampleId: a, angle: 120, queueRank: null, strategy: null }, false);
  await session.skip(b);
  await session.exclude(c);
  assert.equal(session.labels, 2);
  assert.deepEqual(session.decisions.map((d) => d.kind), ['save', 'save', 'skip', 'exclude']);

  assert.equal((await session.undo())?.kind, 'exclude');
  assert.equal((await sample(c)).status, 'active');
  assert.equal((await session.undo())?.kind, 'skip');
  const queue = await call<QueuePage>('getQueue', { offset: 0, limit: N });
  assert.equal(queue.skipped, 0, 'the skip is gone');
  assert.equal((await session.undo())?.kind, 'save');
  assert.equal((await sample(a)).angle, 98, 'the value before the second save');
  assert.equal((await sample(a)).angleSource, 'hand');
  assert.equal((await session.redo())?.kind, 'save');
  assert.equal((await sample(a)).angle, 120);
  await session.undo();
  await session.undo();
  assert.equal((await sample(a)).angle, null, 'no label, as before the session');
  assert.equal(await session.undo(), null, 'nothing left in this session');
  assert.equal(session.labels, 0);

  // Redo walks forward again, in order; a new decision then drops what is left to redo.
  await session.redo();
  assert.equal((await sample(a)).angle, 98);
  await session.skip(b);
  assert.equal(session.canRedo, false);

  // The history on disk only grew: every undo and redo is an entry of its own.
  const history = await call<AnnotationRecord[]>('annotationHistory', { sampleId: a });
  assert.deepEqual(history.map((h) => h.action), ['set', 'set', 'undo', 'undo', 'undo', 'undo', 'undo']);
  assert.deepEqual(history.map((h) => h.angle), [98, 120, 98, 120, 98, null, 98]);
});

test('undoing a label given to an excluded sample excludes it again; an accepted suggestion keeps its source and model', async () => {
  const { file, ids, model } = makeProject('exclude.farpoint');
  const { call, api } = open(file);
  const [a, b] = ids as [number, number];
  await call('setSampleStatus', { sampleIds: [a], status: 'excluded' });
  const session = new AnnotationSession(api);
  await session.save({ sampleId: a, angle: 10, queueRank: null, strategy: null }, true);
  assert.equal((await call<SampleInfo>('getSample', { id: a })).status, 'active', 'a label brings it back');
  await session.undo();
  const back = await call<SampleInfo>('getSample', { id: a });
  assert.equal(back.status, 'excluded');
  assert.equal(back.angle, null);
  await session.include(a);
  assert.equal((await call<SampleInfo>('getSample', { id: a })).status, 'active');
  await session.undo();
  assert.equal((await call<SampleInfo>('getSample', { id: a })).status, 'excluded');
  await session.redo();
  assert.equal((await call<SampleInfo>('getSample', { id: a })).status, 'active');

  await session.save({ sampleId: b, angle: 33, queueRank: null, strategy: null, source: 'suggestion', modelId: model }, false);
  await session.save({ sampleId: b, angle: 40, queueRank: null, strategy: null }, false);
  await session.undo();
  const last = (await call<AnnotationRecord[]>('annotationHistory', { sampleId: b })).at(-1)!;
  assert.equal(last.angle, 33);
  assert.equal(last.source, 'suggestion');
  assert.equal(last.modelId, model);
});

test('a write that fails leaves no decision behind, and undo goes to the one before it', async () => {
  const { file, ids } = makeProject('fail.farpoint');
  const { call, api } = open(file);
  const [a] = ids as [number];
  const session = new AnnotationSession(api);
  await session.save({ sampleId: a, angle: 5, queueRank: null, strategy: null }, false);
  await assert.rejects(session.save({ sampleId: 999_999, angle: 7, queueRank: null, strategy: null }, false), /no sample with id 999999/);
  await session.settled();
  assert.equal(session.decisions.length, 1);
  assert.equal((await session.undo())?.sampleId, a);
  assert.equal((await call<SampleInfo>('getSample', { id: a })).angle, null);
});

test('labels saved in queue order store ranks 1, 2, 3; one saved out of order stores its position then', async () => {
  const { file } = makeProject('ranks.farpoint');
  const { call } = open(file);
  const ranks: number[] = [];
  for (let i = 0; i < 3; i++) {
    const head = (await call<QueuePage>('getQueue', { offset: 0, limit: 1 })).entries[0]!;
    // The UI sends what it saw when it fetched the page (possibly stale): the back end counts at the save.
    ranks.push((await call<AnnotationRecord>('saveLabel', { sampleId: head.sampleId, angle: 1, queueRank: 99, strategy: 'fps' })).queueRank!);
  }
  assert.deepEqual(ranks, [1, 2, 3]);
  const fifth = (await call<QueuePage>('getQueue', { offset: 4, limit: 1 })).entries[0]!;
  const record = await call<AnnotationRecord>('saveLabel', { sampleId: fifth.sampleId, angle: 1, queueRank: null, strategy: 'fps' });
  assert.equal(record.queueRank, 3 + 5);
});

test('an accepted suggestion without its model is refused with the reason', async () => {
  const { file, ids } = makeProject('refuse.farpoint');
  const { call } = open(file);
  await assert.rejects(call('saveLabel', { sampleId: ids[0], angle: 1, source: 'suggestion' }), /modelId/);
});

/** What undo must give back for a sample: its status and its current label's value, source and provenance. */
async function stateOf(call: <T>(name: string, arg?: unknown) => Promise<T>, ids: readonly number[]) {
  return Promise.all(
    ids.map(async (id) => {
      const sample = await call<SampleInfo>('getSample', { id });
      const last = (await call<AnnotationRecord[]>('annotationHistory', { sampleId: id })).at(-1);
      const label = last && last.angle !== null ? { angle: last.angle, source: last.source, author: last.author, propagatedFrom: last.propagatedFrom, modelId: last.modelId } : null;
      return { id, status: sample.status, angle: sample.angle, angleSource: sample.angleSource, label };
    }),
  );
}

test('undo and redo of a propagation and a keep-one give back every member exactly as before and after', async () => {
  const { file, ids, model } = makeProject('cluster.farpoint');
  const { call, api } = open(file);
  const [from, hand, earlier, other, bare, excludedBare, keptExcluded, alreadyExcluded] = ids as [number, number, number, number, number, number, number, number];
  // Before the session: a hand label to copy, a hand label propagation leaves alone, a label propagated earlier from another
  // sample, an accepted suggestion, unlabeled members (one excluded), and members excluded before keep-one.
  await call('saveLabel', { sampleId: from, angle: 10 });
  await call('saveLabel', { sampleId: hand, angle: 200 });
  await call('saveLabel', { sampleId: other, angle: 50 });
  await call('propagateClusterLabel', { fromId: other, toIds: [other, earlier] });
  await call('saveLabel', { sampleId: other, angle: 52, source: 'suggestion', modelId: model });
  await call('setSampleStatus', { sampleIds: [excludedBare, keptExcluded, alreadyExcluded], status: 'excluded' });
  const members = [from, hand, earlier, other, bare, excludedBare, keptExcluded, alreadyExcluded];
  const before = await stateOf(call, members);

  const session = new AnnotationSession(api);
  const propagated = await session.propagate({ fromId: from, toIds: [from, hand, earlier, bare, excludedBare], maxSpread: null });
  assert.deepEqual(propagated.propagated, [earlier, bare, excludedBare], 'the hand label is left alone, the earlier propagated label replaced');
  assert.equal(propagated.entryIds.length, 3);
  const kept = await session.keepOne({ keepId: keptExcluded, memberIds: [keptExcluded, from, bare, alreadyExcluded] });
  assert.deepEqual(kept, { kept: keptExcluded, keptWasExcluded: true, excluded: [from, bare] });
  const after = await stateOf(call, members);
  assert.deepEqual(session.decisions.map((d) => d.kind), ['propagate', 'keep-one']);
  assert.deepEqual(session.decisions.map(describeDecision), [`propagated #${from}'s 10.0° to 3 samples`, `kept #${keptExcluded}, excluded 2 near-duplicates`]);

  assert.equal((await session.undo())?.kind, 'keep-one');
  const afterPropagation = await stateOf(call, members);
  assert.deepEqual(afterPropagation.map((s) => s.status), before.map((s) => s.status), 'the excluded members are back, the kept one and the one excluded before are excluded again');
  assert.equal((await session.undo())?.kind, 'propagate');
  assert.deepEqual(await stateOf(call, members), before, 'every label and status as before the session');

  assert.equal((await session.redo())?.kind, 'propagate');
  assert.deepEqual(await stateOf(call, members), afterPropagation);
  assert.equal((await session.redo())?.kind, 'keep-one');
  assert.deepEqual(await stateOf(call, members), after);
  assert.equal(session.canRedo, false);

  // And back once more: undo after a redo reverts the redone entries too.
  await session.undo();
  await session.undo();
  assert.deepEqual(await stateOf(call, members), before);
});

test('a propagation or keep-one that changes nothing leaves no decision to undo', async () => {
  const { file, ids } = makeProject('noop.farpoint');
  const { call, api } = open(file);
  const [from, hand, label, excluded, unlabeled] = ids as [number, number, number, number, number];
  await call('saveLabel', { sampleId: from, angle: 10 });
  await call('saveLabel', { sampleId: hand, angle: 20 });
  await call('setSampleStatus', { sampleIds: [excluded], status: 'excluded' });
  const session = new AnnotationSession(api);
  await session.save({ sampleId: label, angle: 5, queueRank: null, strategy: null }, false);
  // Every other member has a hand label; every other member is excluded already.
  assert.deepEqual((await session.propagate({ fromId: from, toIds: [from, hand], maxSpread: null })).propagated, []);
  assert.deepEqual((await session.keepOne({ keepId: from, memberIds: [from, excluded] })).excluded, []);
  // A refused one (no label to copy) leaves none either.
  await assert.rejects(session.propagate({ fromId: unlabeled, toIds: [unlabeled, hand], maxSpread: null }), /has no label to propagate/);
  await session.settled();
  assert.deepEqual(session.decisions.map((d) => d.kind), ['save']);
  assert.equal((await session.undo())?.kind, 'save', 'undo goes straight to the save before them');
});

test('undo of clearing propagated labels puts each one back with its provenance; redo clears them again', async () => {
  const { file, ids } = makeProject('clear.farpoint');
  const { call, api } = open(file);
  const [from, a, b, hand] = ids as [number, number, number, number];
  await call('saveLabel', { sampleId: from, angle: 70 });
  await call('saveLabel', { sampleId: hand, angle: 72 });
  const members = [from, a, b, hand];
  const before = await stateOf(call, members);
  const session = new AnnotationSession(api);
  await session.propagate({ fromId: from, toIds: members, maxSpread: null });
  const propagated = await stateOf(call, members);
  const cleared = await session.clearPropagated({ sampleIds: members });
  assert.deepEqual(cleared.cleared, [a, b], 'only the propagated labels');
  assert.equal(describeDecision(session.decisions.at(-1)!), 'cleared 2 propagated labels');
  const clearedState = await stateOf(call, members);
  assert.deepEqual(clearedState, before);

  assert.equal((await session.undo())?.kind, 'clear-propagated');
  assert.deepEqual(await stateOf(call, members), propagated, 'the propagated labels are back, still from the same sample');
  await session.redo();
  assert.deepEqual(await stateOf(call, members), clearedState);
  await session.undo();
  await session.undo();
  assert.deepEqual(await stateOf(call, members), before);
  assert.equal(session.canUndo, false);
});
