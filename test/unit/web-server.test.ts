import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Project } from '../../src/main/store/project';
import { MAX_BODY_BYTES } from '../../src/main/doors/server/web-server';
import type { ImportSummary, JobInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir();
let backend: TestBackend;
let images: string;

before(async () => {
  images = path.join(dir, 'images');
  await writeImageFolder(images, 10);
  Project.create(path.join(dir, 'p.farpoint')).close();
  backend = await startBackend(path.join(dir, 'p.farpoint'));
});
after(() => backend.close());

/** Raw HTTP, so the Host header and body can be anything a hostile page could send. */
function rawRequest(options: { path: string; method?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: backend.server.port, path: options.path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${backend.server.token}`, 'Content-Type': 'application/json' });

test('the server listens on 127.0.0.1 only', () => {
  assert.match(backend.server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('without the token: 401', async () => {
  const res = await rawRequest({ path: '/api/call/getStatus', method: 'POST', body: '{}' });
  assert.equal(res.status, 401);
  const wrong = await rawRequest({ path: '/api/call/getStatus', method: 'POST', headers: { Authorization: 'Bearer nope' }, body: '{}' });
  assert.equal(wrong.status, 401);
  const thumb = await rawRequest({ path: '/media/thumb/1' });
  assert.equal(thumb.status, 401);
  const events = await rawRequest({ path: '/api/events' });
  assert.equal(events.status, 401);
});

test('a Host header that is not loopback: 403, even with the token', async () => {
  const res = await rawRequest({ path: '/api/call/getStatus', method: 'POST', headers: { ...auth(), Host: 'evil.example:80' }, body: '{}' });
  assert.equal(res.status, 403);
});

test('an oversized body: 413, and the server stays up', async () => {
  const res = await rawRequest({ path: '/api/call/getStatus', method: 'POST', headers: auth(), body: Buffer.alloc(MAX_BODY_BYTES + 10, 32) });
  assert.equal(res.status, 413);
  assert.equal((await backend.call('getStatus')).status, 200);
});

test('arguments failing validation: 400 with the reason, and the server stays up', async () => {
  const bad = await backend.call('getSample', { id: -3 });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error!, /getSample: id/);
  const extra = await backend.call('getStatus', { surprise: true });
  assert.equal(extra.status, 400);
  const notJson = await rawRequest({ path: '/api/call/getStatus', method: 'POST', headers: auth(), body: '{not json' });
  assert.equal(notJson.status, 400);
  const unknown = await backend.call('dropAllTables');
  assert.equal(unknown.status, 404);
  const missing = await backend.call('getSample', { id: 99999 });
  assert.equal(missing.status, 404);
  assert.equal((await backend.call('getStatus')).status, 200);
});

test('an import runs as a job in the compute worker, with progress events, and its report lists what it did', async () => {
  const events: string[] = [];
  const unsubscribe = backend.session.events.subscribe((e) => events.push(e.type === 'job' ? `job:${e.job.state}` : `changed:${e.what.join(',')}`));
  const started = await backend.call('importFolder', { folder: images });
  assert.equal(started.status, 200);
  const job = started.body.result as JobInfo;
  const done = await backend.session.jobs.waitFor(job.id);
  unsubscribe();
  assert.equal(done.state, 'done', done.error ?? '');
  assert.ok(events.includes('job:running'));
  assert.ok(events.includes('changed:samples'));
  const report = (await backend.call('lastImportReport')).body.result as ImportSummary;
  assert.equal(report.imported, 10);
  const status = (await backend.call('getStatus')).body.result as { samples: number };
  assert.equal(status.samples, 10);
  const thumb = await fetch(`${backend.server.url}/media/thumb/1`, { headers: auth() });
  assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
  const image = await fetch(`${backend.server.url}/media/image/1?max=64`, { headers: auth() });
  assert.equal(image.status, 200);
  const noSuch = await fetch(`${backend.server.url}/media/thumb/424242`, { headers: auth() });
  assert.equal(noSuch.status, 404);
});

test('a failing import job reports the reason as a job error, not a crash', async () => {
  const started = await backend.call('importFolder', { folder: path.join(dir, 'does-not-exist') });
  const done = await backend.session.jobs.waitFor((started.body.result as JobInfo).id);
  assert.equal(done.state, 'failed');
  assert.match(done.error!, /folder not found/);
});

test('labels saved over HTTP are stored with their history, and undo appends', async () => {
  const save = await backend.call('saveLabel', { sampleId: 2, angle: 370, queueRank: 0, strategy: 'fps' });
  assert.equal(save.status, 200);
  assert.equal((save.body.result as { angle: number }).angle, 10);
  await backend.call('saveLabel', { sampleId: 2, angle: 45 });
  const undo = await backend.call('undoLastLabel');
  assert.equal((undo.body.result as { angle: number }).angle, 10);
  const history = (await backend.call('annotationHistory', { sampleId: 2 })).body.result as { action: string; angle: number }[];
  assert.deepEqual(history.map((h) => [h.action, h.angle]), [['set', 10], ['set', 45], ['undo', 10]]);
  const sample = (await backend.call('getSample', { id: 2 })).body.result as { angle: number };
  assert.equal(sample.angle, 10);
});
