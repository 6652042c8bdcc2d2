import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { startBackend, type TestBackend } from '../helpers/backend';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { rawRequest, type RawAnswer } from '../soak/support/fuzz-http';

// Who may use the web server (request-guard.ts): the token as a header only, same-origin browser requests, JSON bodies, nothing cacheable.
const dir = tempDir();
let backend: TestBackend;
let self: string;

before(async () => {
  const projectPath = path.join(dir, 'p.farpoint');
  const project = Project.create(projectPath);
  await writeImageFolder(path.join(dir, 'images'), 3);
  await importFolder(project.db, path.join(dir, 'images'));
  project.close();
  backend = await startBackend(projectPath);
  self = `http://127.0.0.1:${backend.server.port}`;
});
after(() => backend.close());

const bearer = () => ({ Authorization: `Bearer ${backend.server.token}` });
const json = { 'Content-Type': 'application/json' };
const call = (name: string, headers: Record<string, string>, body = '{}'): Promise<RawAnswer> =>
  rawRequest(backend.server.port, { method: 'POST', path: `/api/call/${name}`, headers, body });
const reason = (answer: RawAnswer): string => (JSON.parse(answer.body) as { error: string }).error;

async function viewKey(): Promise<string> {
  const answer = await rawRequest(backend.server.port, { method: 'POST', path: '/api/view-key', headers: { ...bearer(), ...json }, body: '{}' });
  assert.equal(answer.status, 200, answer.body);
  return (JSON.parse(answer.body) as { result: { viewKey: string } }).result.viewKey;
}

test('a curl-like client (token header, no Origin, no Sec-Fetch headers) can call', async () => {
  assert.equal((await call('getStatus', { ...bearer(), ...json })).status, 200);
});

test('the token is accepted as a header only: not from a cookie, not from the query string', async () => {
  const cookie = await call('getStatus', { ...json, Cookie: `farpoint_token=${backend.server.token}` });
  assert.equal(cookie.status, 401);
  const query = await rawRequest(backend.server.port, { method: 'POST', path: `/api/call/getStatus?token=${backend.server.token}`, headers: json, body: '{}' });
  assert.equal(query.status, 401);
  const media = await rawRequest(backend.server.port, { method: 'GET', path: `/media/thumb/1?token=${backend.server.token}` });
  assert.equal(media.status, 401);
});

test('opening the launch URL sets no cookie: nothing another local port would be sent', async () => {
  const page = await fetch(backend.server.launchUrl);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('set-cookie'), null);
});

test('a call that is not application/json is refused with 415 and the reason (what forms and no-cors fetches send)', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const answer = await call('getStatus', { ...bearer(), 'Content-Type': type });
    assert.equal(answer.status, 415, type);
    assert.match(reason(answer), /application\/json/);
  }
  const none = await call('getStatus', bearer());
  assert.equal(none.status, 415);
  assert.equal((await call('getStatus', { ...bearer(), 'Content-Type': 'application/json; charset=utf-8' })).status, 200);
});

test('a browser request from another local origin is refused with 403 naming it, even with the token', async () => {
  for (const origin of ['http://127.0.0.1:1', 'http://localhost:8080', 'null', 'http://evil.example']) {
    const answer = await call('saveLabel', { ...bearer(), ...json, Origin: origin }, JSON.stringify({ sampleId: 1, angle: 10 }));
    assert.equal(answer.status, 403, origin);
    assert.ok(reason(answer).includes(origin), reason(answer));
  }
  for (const site of ['same-site', 'cross-site']) {
    const answer = await call('saveLabel', { ...bearer(), ...json, Origin: self, 'Sec-Fetch-Site': site }, JSON.stringify({ sampleId: 1, angle: 10 }));
    assert.equal(answer.status, 403, site);
    assert.match(reason(answer), /Sec-Fetch-Site/);
    const thumb = await rawRequest(backend.server.port, { method: 'GET', path: `/media/thumb/1?key=${await viewKey()}`, headers: { 'Sec-Fetch-Site': site } });
    assert.equal(thumb.status, 403, `media, ${site}`);
  }
  const noOrigin = await call('getStatus', { ...bearer(), ...json, 'Sec-Fetch-Site': 'same-origin' });
  assert.equal(noOrigin.status, 403, 'a browser POST without Origin');
  const sample = (await backend.call('getSample', { id: 1 })).body.result as { angle: number | null };
  assert.equal(sample.angle, null, 'none of the refused calls saved a label');
});

test("the app's own page (same origin, token header) can call", async () => {
  const answer = await call('getStatus', { ...bearer(), ...json, Origin: self, 'Sec-Fetch-Site': 'same-origin' });
  assert.equal(answer.status, 200);
  const viaLocalhost = await rawRequest(backend.server.port, {
    method: 'POST',
    path: '/api/call/getStatus',
    headers: { ...bearer(), ...json, Host: `localhost:${backend.server.port}`, Origin: `http://localhost:${backend.server.port}` },
    body: '{}',
  });
  assert.equal(viaLocalhost.status, 200);
});

test('the view key reads images and events, and nothing else; a wrong key is 401', async () => {
  const key = await viewKey();
  const thumb = await rawRequest(backend.server.port, { method: 'GET', path: `/media/thumb/1?key=${key}`, headers: { 'Sec-Fetch-Site': 'same-origin' } });
  assert.equal(thumb.status, 200);
  assert.equal((await rawRequest(backend.server.port, { method: 'GET', path: `/media/thumb/1?key=${key}x` })).status, 401);
  const asBearer = await call('getStatus', { ...json, Authorization: `Bearer ${key}` });
  assert.equal(asBearer.status, 401);
  const inQuery = await rawRequest(backend.server.port, { method: 'POST', path: `/api/call/getStatus?key=${key}`, headers: json, body: '{}' });
  assert.equal(inQuery.status, 401);
});

test('every API and media answer, refusals included, is Cache-Control: no-store', async () => {
  const key = await viewKey();
  const answers = [
    await fetch(`${self}/api/call/getStatus`, { method: 'POST', headers: { ...bearer(), ...json }, body: '{}' }),
    await fetch(`${self}/api/call/getSample`, { method: 'POST', headers: { ...bearer(), ...json }, body: '{"id":999}' }),
    await fetch(`${self}/api/call/getStatus`, { method: 'POST', body: '{}' }),
    await fetch(`${self}/media/thumb/1?key=${key}`),
    await fetch(`${self}/media/image/1?max=64&key=${key}`),
    await fetch(`${self}/media/image/999?key=${key}`),
    await fetch(`${self}/media/image/1`),
  ];
  for (const answer of answers) {
    assert.equal(answer.headers.get('cache-control'), 'no-store', `${answer.url}: ${answer.status}`);
    await answer.arrayBuffer();
  }
});

test('the page itself is public (the app bundle, no patient data); the API behind it is not', async () => {
  const page = await rawRequest(backend.server.port, { method: 'GET', path: '/' });
  assert.equal(page.status, 200);
  assert.match(page.body, /<html/i);
  assert.ok(fs.existsSync(path.join(dir, 'p.farpoint')));
  assert.equal((await call('getStatus', json)).status, 401);
});
