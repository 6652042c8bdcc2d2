import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../src/main/core/random';
import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { createHandlers, dispatch } from '../../src/main/app/handlers/handlers';
import { Session } from '../../src/main/app/session';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import type { SimilarLabeled } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
const N = 300;
const DIM = 6;

/**
 * A real project file: N samples, an old model with different vectors (must be
 * ignored) and a current one with clustered vectors. `withModel: false` leaves
 * the project without any model.
 */
function makeProject(name: string, withModel = true): { file: string; vectors: Float32Array; ids: number[] } {
  const project = Project.create(path.join(dir, name));
  const { db } = project;
  const random = seededRandom(11);
  const centers = Array.from({ length: 5 }, () => Array.from({ length: DIM }, () => gaussian(random) * 3));
  const vectors = new Float32Array(N * DIM);
  const ids: number[] = [];
  db.transaction(() => {
    const addSample = db.prepare(
      "INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', 'now')",
    );
    for (let i = 0; i < N; i++) ids.push(Number(addSample.run(`/images/img-${i}.png`, `hash-${i}`).lastInsertRowid));
    if (!withModel) return;
    const addModel = db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'cpu', 'now')");
    const old = Number(addModel.run(JSON.stringify({ latentDim: DIM })).lastInsertRowid);
    const current = Number(addModel.run(JSON.stringify({ latentDim: DIM })).lastInsertRowid);
    const addVector = db.prepare('INSERT INTO embeddings (model_id, sample_id, vector) VALUES (?, ?, ?)');
    // The last sample has no vector from the current model (imported after the last embedding).
    for (let i = 0; i < N - 1; i++) {
      const c = centers[i % centers.length]!;
      for (let k = 0; k < DIM; k++) vectors[i * DIM + k] = c[k]! + gaussian(random);
      const row = vectors.subarray(i * DIM, (i + 1) * DIM);
      addVector.run(current, ids[i], Buffer.from(row.buffer, row.byteOffset, row.byteLength));
      const scrambled = new Float32Array(DIM).map(() => gaussian(random) * 50);
      addVector.run(old, ids[i], Buffer.from(scrambled.buffer));
    }
    setCurrentModelId(db, current);
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

/** Brute force: every labeled candidate's distance, sorted by distance then sample id. */
function reference(vectors: Float32Array, ids: number[], query: number, labels: Map<number, number>, limit: number) {
  const q = ids.indexOf(query);
  return [...labels]
    .filter(([id]) => id !== query)
    .map(([id, angle]) => {
      const r = ids.indexOf(id);
      let sum = 0;
      for (let k = 0; k < DIM; k++) sum += (vectors[q * DIM + k]! - vectors[r * DIM + k]!) ** 2;
      return { sampleId: id, angle, distance: Math.sqrt(sum) };
    })
    .sort((a, b) => a.distance - b.distance || a.sampleId - b.sampleId)
    .slice(0, limit);
}

function assertMatches(actual: SimilarLabeled[], expected: ReturnType<typeof reference>, what: string) {
  assert.deepEqual(actual.map((s) => s.sampleId), expected.map((e) => e.sampleId), what);
  assert.deepEqual(actual.map((s) => s.angle), expected.map((e) => e.angle), what);
  actual.forEach((s, i) => assert.ok(Math.abs(s.distance - expected[i]!.distance) < 1e-9, `${what}: distance ${i}`));
}

test('similarLabeled returns the exact nearest labeled samples of the current model, as a brute-force scan does', async () => {
  const { file, vectors, ids } = makeProject('similar');
  const { session, call } = open(file);
  const random = seededRandom(5);
  const labels = new Map<number, number>();
  // 40 labeled samples spread over the pool; the last (no vector) is labeled too and must never appear.
  for (let i = 0; i < 40; i++) {
    const id = ids[Math.floor(random() * (N - 1))]!;
    const angle = Math.round(random() * 3600) / 10;
    await call('saveLabel', { sampleId: id, angle });
    labels.set(id, angle);
  }
  await call('saveLabel', { sampleId: ids[N - 1]!, angle: 12 });

  // An excluded labeled sample and one whose label was cleared take no part.
  const [excluded, cleared] = [...labels.keys()];
  await call('setSampleStatus', { sampleIds: [excluded], status: 'excluded' });
  await call('clearLabel', { sampleId: cleared });
  labels.delete(excluded!);
  labels.delete(cleared!);

  for (let i = 0; i < N - 1; i += 7) {
    const query = ids[i]!;
    const three = await call<SimilarLabeled[]>('similarLabeled', { sampleId: query });
    assert.equal(three.length, 3, 'the default limit is 3');
    assertMatches(three, reference(vectors, ids, query, labels, 3), `sample ${query}`);
    assert.ok(three.every((s) => s.source === 'hand'));
    const twelve = await call<SimilarLabeled[]>('similarLabeled', { sampleId: query, limit: 12 });
    assertMatches(twelve, reference(vectors, ids, query, labels, 12), `sample ${query}, 12`);
  }
  // A labeled sample is not its own neighbour.
  const labeledQuery = [...labels.keys()][3]!;
  const near = await call<SimilarLabeled[]>('similarLabeled', { sampleId: labeledQuery, limit: 5 });
  assert.ok(!near.some((s) => s.sampleId === labeledQuery));
  assertMatches(near, reference(vectors, ids, labeledQuery, labels, 5), 'labeled query');

  // No vector for the sample: nothing to compare with.
  assert.deepEqual(await call('similarLabeled', { sampleId: ids[N - 1]! }), []);
  await assert.rejects(call('similarLabeled', { sampleId: ids[0]!, limit: 0 }), /400|limit|>=|greater/i);
  await assert.rejects(call('similarLabeled', { sampleId: ids[0]!, limit: 13 }), /400|limit|<=|less/i);
  session.close();
});

test('similarLabeled is empty without labels or without a current model', async () => {
  const unlabeled = open(makeProject('unlabeled').file);
  assert.deepEqual(await unlabeled.call('similarLabeled', { sampleId: 1 }), []);
  unlabeled.session.close();

  const { file, ids } = makeProject('no-model', false);
  const noModel = open(file);
  await noModel.call('saveLabel', { sampleId: ids[1]!, angle: 45 });
  assert.deepEqual(await noModel.call('similarLabeled', { sampleId: ids[0]! }), []);
  noModel.session.close();
});
