import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { answerCall } from '../../src/main/doors/electron/ipc-guard';
import { saveEmbeddings } from '../../src/main/store/embedding-store';
import { latentMap } from '../../src/main/stages/map/latent-map';
import { loadProjection } from '../../src/main/store/latent-map-store';
import { Project } from '../../src/main/store/project';
import { setCurrentModelId } from '../../src/main/store/settings';
import { BINARY_MIME, BinaryFormatError, decodeBinary, encodeBinary } from '../../src/shared/contract';
import { MAP_EXCLUDED, type JobInfo, type LatentMap } from '../../src/shared/domain';
import { startBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

function addSample(project: Project, n: number, status: 'active' | 'excluded'): number {
  const info = project.db
    .prepare("INSERT INTO samples (path, content_hash, width, height, channels, bit_depth, format, status, imported_at) VALUES (?, ?, 8, 8, 1, 8, 'png', ?, '2024-01-01')")
    .run(`/images/${n}.png`, `hash-${n}`, status);
  return Number(info.lastInsertRowid);
}

/** A project with `count` samples embedded by one current model (d = 3); every 7th sample excluded. */
function embeddedProject(name: string, count: number): { file: string; ids: number[]; model: number } {
  const project = Project.create(path.join(dir, name));
  const ids = Array.from({ length: count }, (_, i) => addSample(project, i, i % 7 === 3 ? 'excluded' : 'active'));
  const model = Number(
    project.db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('autoencoder', 'ready', ?, 'wasm', '2024-01-01')").run(JSON.stringify({ latentDim: 3 })).lastInsertRowid,
  );
  const vectors = new Float32Array(ids.length * 3);
  ids.forEach((id, i) => vectors.set([Math.sin(i), i * 0.1, Math.cos(i * 3)], i * 3));
  saveEmbeddings(project.db, model, ids, vectors, 3);
  setCurrentModelId(project.db, model);
  const file = project.path;
  project.close();
  return { file, ids, model };
}

test('the latent map holds every embedded sample, excluded ones too, with its status; excluding one moves no point', () => {
  const { file, ids } = embeddedProject('map.farpoint', 30);
  const project = Project.open(file);
  const map = latentMap(project.db);
  assert.equal(map.count, 30);
  assert.equal(map.state, 'ready');
  assert.deepEqual(Array.from(map.ids), ids);
  assert.ok(map.x instanceof Float32Array && map.y instanceof Float32Array && map.status instanceof Uint8Array);
  assert.deepEqual(
    ids.filter((_, i) => map.status[i] === MAP_EXCLUDED),
    ids.filter((_, i) => i % 7 === 3),
  );
  assert.ok(map.angles.every(Number.isNaN), 'nothing is labeled');

  // PCA is fit on every embedded sample: excluding another changes its status only.
  project.db.prepare("UPDATE samples SET status = 'excluded' WHERE id = ?").run(ids[0]);
  const after = latentMap(project.db);
  assert.deepEqual(after.x, map.x);
  assert.deepEqual(after.y, map.y);
  assert.equal(after.status[0], MAP_EXCLUDED);
  project.close();
});

test('the binary form carries typed arrays byte for byte and refuses malformed input', () => {
  const value = { result: { name: 'ø map', xs: Float32Array.from([1.5, NaN, -2]), ids: Int32Array.from([3, 1, 2]), s: Uint8Array.from([1, 0, 1]), nested: [{ f: new Float64Array([Math.PI]) }] } };
  const { chunks, byteLength } = encodeBinary(value);
  const bytes = new Uint8Array(byteLength);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  assert.equal(at, byteLength);
  const back = decodeBinary(bytes.buffer) as typeof value;
  assert.equal(back.result.name, 'ø map');
  assert.ok(back.result.xs instanceof Float32Array && back.result.ids instanceof Int32Array && back.result.s instanceof Uint8Array);
  assert.deepEqual(Array.from(back.result.xs), [1.5, NaN, -2]);
  assert.deepEqual(Array.from(back.result.ids), [3, 1, 2]);
  assert.deepEqual(Array.from(back.result.s), [1, 0, 1]);
  assert.equal(back.result.nested[0]!.f[0], Math.PI);

  assert.throws(() => decodeBinary(new ArrayBuffer(4)), BinaryFormatError);
  assert.throws(() => decodeBinary(bytes.slice(0, 40).buffer), BinaryFormatError, 'a truncated reply');
  const wrongMagic = bytes.slice();
  wrongMagic[0] = 0;
  assert.throws(() => decodeBinary(wrongMagic.buffer), BinaryFormatError);
  const pointsOutside = encodeBinary({ a: new Float32Array(2) });
  const header = new TextDecoder().decode(pointsOutside.chunks[0]!.subarray(8)).replace('"length":2', '"length":9');
  const forged = new Uint8Array(pointsOutside.byteLength);
  forged.set(pointsOutside.chunks[0]!);
  forged.set(new TextEncoder().encode(header), 8);
  assert.throws(() => decodeBinary(forged.buffer), /runs past the end/);
});

test('the app computes the map in a job off the main thread, stores it per model, and serves it as bytes over HTTP and as typed arrays over IPC', async () => {
  const { file, ids, model } = embeddedProject('served.farpoint', 200);
  const backend = await startBackend(file);
  try {
    // The request waits a few seconds for its map job (without blocking); on a loaded machine the job may take longer,
    // and the answer is 'computing' until it is done.
    const mapWhenReady = async (): Promise<LatentMap> => {
      let map = (await backend.handlers.getLatentMap({})) as LatentMap;
      for (let i = 0; i < 600 && map.state === 'computing'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        map = (await backend.handlers.getLatentMap({})) as LatentMap;
      }
      return map;
    };
    const first = await mapWhenReady();
    assert.equal(first.state, 'ready');
    assert.equal(first.count, 200);
    const mapJobs = () => backend.session.jobs.list().filter((j: JobInfo) => j.kind === 'map');
    assert.equal(mapJobs().length, 1, 'one map job computed it');
    assert.equal(mapJobs()[0]!.state, 'done');
    const stored = loadProjection(backend.session.project.db, model);
    assert.ok(stored, 'the projection is stored in the project file');
    assert.deepEqual(Array.from(stored.ids), ids);
    assert.deepEqual(stored.x, first.x);

    // Again: read from the store, no new job.
    await backend.handlers.getLatentMap({});
    assert.equal(mapJobs().length, 1);

    // Over HTTP: bytes for a client that accepts them, JSON (plain arrays, NaN as null) for the others.
    const res = await fetch(`${backend.server.url}/api/call/getLatentMap`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${backend.server.token}`, 'Content-Type': 'application/json', Accept: `${BINARY_MIME}, application/json` },
      body: '{}',
    });
    assert.equal(res.headers.get('content-type'), BINARY_MIME);
    const binary = (decodeBinary(await res.arrayBuffer()) as { result: LatentMap }).result;
    assert.deepEqual(binary.x, first.x);
    assert.deepEqual(binary.ids, first.ids);
    assert.deepEqual(binary.status, first.status);
    const json = (await backend.call('getLatentMap')).body.result as { ids: number[]; x: number[]; angles: (number | null)[] };
    assert.deepEqual(json.ids, ids);
    assert.deepEqual(json.x, Array.from(first.x));
    assert.equal(json.angles[0], null);
    const noToken = await fetch(`${backend.server.url}/api/call/getLatentMap`, { method: 'POST', headers: { Accept: BINARY_MIME }, body: '{}' });
    assert.equal(noToken.status, 401, 'the binary reply demands the token like every other');

    // Electron's IPC answer: typed arrays, which structured clone (ipcRenderer.invoke, contextBridge) copies as bytes.
    const reply = await answerCall(backend.handlers, { url: 'farpoint://app/index.html', parent: null }, 'getLatentMap', {});
    assert.ok(reply.ok);
    const cloned = structuredClone(reply.result) as LatentMap;
    assert.ok(cloned.x instanceof Float32Array);
    assert.deepEqual(cloned.y, first.y);

    // A new embedding makes the stored projection stale: the next request has a new job compute it.
    const project = backend.session.project;
    const extra = addSample(project, 999, 'active');
    saveEmbeddings(project.db, model, [extra], Float32Array.from([5, 5, 5]), 3);
    backend.session.changed(['embeddings']);
    const grown = await mapWhenReady();
    assert.equal(grown.count, 201);
    assert.equal(mapJobs().length, 2);
  } finally {
    await backend.close();
  }
});
