import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadCurrentEmbeddings, saveEmbeddings } from '../../src/main/store/embedding-store';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function addSample(project: Project, n: number, status: 'active' | 'excluded' = 'active'): number {
  const info = project.db
    .prepare("INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, status, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', ?, '2024-01-01')")
    .run(`/images/${n}.png`, `hash-${n}`, status);
  return Number(info.lastInsertRowid);
}

function addModel(project: Project, latentDim: number): number {
  const info = project.db
    .prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'wasm', '2024-01-01')")
    .run(JSON.stringify({ latentDim }));
  return Number(info.lastInsertRowid);
}

test('loadCurrentEmbeddings returns null without a current model, then the current model’s vectors in id order', () => {
  const project = Project.create(path.join(dir, 'store.farpoint'));
  assert.equal(loadCurrentEmbeddings(project.db), null);
  const ids = Array.from({ length: 1500 }, (_, i) => addSample(project, i, i === 7 ? 'excluded' : 'active'));
  const old = addModel(project, 2);
  const current = addModel(project, 3);
  saveEmbeddings(project.db, old, [ids[0]!], new Float32Array([9, 9]), 2);
  // Saved in reverse order to prove the loader sorts by sample id.
  const reversed = [...ids].reverse();
  const vectors = new Float32Array(reversed.length * 3);
  reversed.forEach((id, i) => vectors.set([id, id + 0.5, -id], i * 3));
  saveEmbeddings(project.db, current, reversed, vectors, 3);
  setCurrentModelId(project.db, current);

  const loaded = loadCurrentEmbeddings(project.db)!;
  assert.equal(loaded.modelId, current);
  assert.equal(loaded.dim, 3);
  assert.equal(loaded.count, 1499, 'the excluded sample is left out');
  assert.equal(loaded.ids.length, 1499);
  assert.equal(loaded.vectors.length, 1499 * 3);
  assert.ok(!loaded.ids.includes(ids[7]!));
  for (let i = 0; i < loaded.count; i++) {
    const id = loaded.ids[i]!;
    if (i > 0) assert.ok(id > loaded.ids[i - 1]!);
    assert.deepEqual(Array.from(loaded.vectors.subarray(i * 3, i * 3 + 3)), [id, id + 0.5, -id]);
  }
  assert.equal(loadCurrentEmbeddings(project.db, { includeExcluded: true })!.count, 1500);
  project.close();
});

test('a model with no vectors yet loads as an empty matrix with its recorded dimension', () => {
  const project = Project.create(path.join(dir, 'empty.farpoint'));
  const model = addModel(project, 16);
  setCurrentModelId(project.db, model);
  const loaded = loadCurrentEmbeddings(project.db)!;
  assert.equal(loaded.count, 0);
  assert.equal(loaded.dim, 16);
  assert.equal(loaded.vectors.length, 0);
  project.close();
});
