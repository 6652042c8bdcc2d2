import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { saveEmbeddings } from '../../src/main/ml/embedding-store';
import { latentMap } from '../../src/main/ml/latent-map';
import { Project } from '../../src/main/project/project';
import { setCurrentModelId } from '../../src/main/project/settings';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function addSample(project: Project, n: number, status: 'active' | 'excluded'): number {
  const info = project.db
    .prepare("INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, status, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', ?, '2024-01-01')")
    .run(`/images/${n}.png`, `hash-${n}`, status);
  return Number(info.lastInsertRowid);
}

test('the latent map holds every embedded sample, excluded ones too, with its status; excluding one moves no point', () => {
  const project = Project.create(path.join(dir, 'map.farpoint'));
  const ids = Array.from({ length: 30 }, (_, i) => addSample(project, i, i % 7 === 3 ? 'excluded' : 'active'));
  const model = Number(
    project.db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'wasm', '2024-01-01')").run(JSON.stringify({ latentDim: 3 })).lastInsertRowid,
  );
  const vectors = new Float32Array(ids.length * 3);
  ids.forEach((id, i) => vectors.set([Math.sin(i), i * 0.1, Math.cos(i * 3)], i * 3));
  saveEmbeddings(project.db, model, ids, vectors, 3);
  setCurrentModelId(project.db, model);

  const map = latentMap(project.db);
  assert.equal(map.count, 30);
  assert.deepEqual(map.ids, ids);
  assert.equal(map.status.length, 30);
  assert.deepEqual(
    map.ids.filter((_, i) => map.status[i] === 'excluded'),
    ids.filter((_, i) => i % 7 === 3),
  );

  // PCA is fit on every embedded sample: excluding another changes its status only.
  project.db.prepare("UPDATE samples SET status = 'excluded' WHERE id = ?").run(ids[0]);
  const after = latentMap(project.db);
  assert.deepEqual(after.x, map.x);
  assert.deepEqual(after.y, map.y);
  assert.equal(after.status[0], 'excluded');
  project.close();
});
