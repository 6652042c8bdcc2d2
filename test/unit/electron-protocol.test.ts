import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createAppProtocolHandler, type AppProtocolHandler } from '../../src/main/doors/electron/protocol-handler';
import { contentSecurityPolicy } from '../../src/main/doors/electron/content-security-policy';
import { FarpointError } from '../../src/main/core/errors';
import { mediaFor } from '../../src/main/app/media';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { writeDistinctPng, writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';

const dir = tempDir('farpoint-protocol-');
const rendererDir = path.join(dir, 'renderer');
const secret = 'THE-SECRET-OUTSIDE-THE-BUNDLE';
let project: Project;
let handler: AppProtocolHandler;
let noProject: AppProtocolHandler;

before(async () => {
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'style.css'), 'body{}');
  // Files right next to the bundle, and a symlink inside it that leads to one of them.
  fs.writeFileSync(path.join(dir, 'secret.txt'), secret);
  fs.writeFileSync(path.join(dir, 'renderer-evil.txt'), secret);
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(rendererDir, 'assets', 'linked.txt'));
  fs.symlinkSync(dir, path.join(rendererDir, 'up'));

  await writeImageFolder(path.join(dir, 'images'), 3, 48);
  await writeDistinctPng(path.join(dir, 'not-imported', 'other.png'), 42);
  project = Project.create(path.join(dir, 'p.farpoint'));
  const summary = await importFolder(project.db, path.join(dir, 'images'));
  assert.equal(summary.imported, 3);
  handler = createAppProtocolHandler({ rendererDir, media: (kind, id, maxSize) => mediaFor(project, kind, id, maxSize) });
  noProject = createAppProtocolHandler({
    rendererDir,
    media: () => {
      throw new FarpointError('no project is open', 409);
    },
  });
});
after(() => project.close());

const get = (url: string, init?: RequestInit, h = handler) => h(new Request(url, init));

test('app files are served from the bundle with the CSP and a correct type', async () => {
  const index = await get('farpoint://app/index.html');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type')!, /^text\/html/);
  assert.equal(index.headers.get('content-security-policy'), contentSecurityPolicy);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await index.text(), /assets\/app\.js/);
  const script = await get('farpoint://app/assets/app.js');
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type')!, /^text\/javascript/);
  assert.equal(await script.text(), 'console.log("app")');
  assert.equal((await get('farpoint://app/')).status, 200, 'the root is the app');
  const route = await get('farpoint://app/queue/next');
  assert.equal(route.status, 200, 'a client-side route falls back to the app');
  assert.match(await route.text(), /<!doctype html>/);
  assert.equal((await get('farpoint://app/assets/missing.js')).status, 404, 'a missing asset is a 404, not the app');
  const head = await get('farpoint://app/assets/style.css', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal((await head.arrayBuffer()).byteLength, 0);
});

test('no spelling of a path reaches a file outside the bundle', async () => {
  const attempts = [
    'farpoint://app/..%2fsecret.txt',
    'farpoint://app/..%2Fsecret.txt',
    'farpoint://app/%2e%2e%2fsecret.txt',
    'farpoint://app/assets/..%2f..%2fsecret.txt',
    'farpoint://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'farpoint://app/..%5csecret.txt',
    'farpoint://app/assets%5c..%5c..%5csecret.txt',
    'farpoint://app/%2e%2e/secret.txt',
    'farpoint://app/../secret.txt',
    'farpoint://app/..%2frenderer-evil.txt',
    `farpoint://app/${encodeURIComponent(path.join(dir, 'secret.txt'))}`,
    `farpoint://app/${path.join(dir, 'secret.txt')}`,
    'farpoint://app//etc/passwd',
    'farpoint://app/%2fetc%2fpasswd',
    'farpoint://app/assets/linked.txt',
    'farpoint://app/up/secret.txt',
    'farpoint://app/index.html%00.png',
    'farpoint://app/%E0%A4%A',
    'farpoint://app/assets',
    'farpoint://media/secret.txt',
    'farpoint://evil/index.html',
    'farpoint://app:8080/index.html',
  ];
  for (const url of attempts) {
    const res = await get(url);
    const body = await res.text();
    assert.ok(!body.includes(secret), `${url} leaked a file outside the bundle`);
    assert.ok(!body.includes('root:'), `${url} leaked /etc/passwd`);
    // A path without an extension is a client-side route: it may get the app's own page, never anything else.
    const isTheApp = res.status === 200 && body === fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
    assert.ok(res.status === 404 || res.status === 400 || isTheApp, `${url}: status ${res.status}`);
    assert.equal(res.headers.get('content-security-policy'), contentSecurityPolicy, `${url}: error responses carry the CSP too`);
  }
});

test("the open project's thumbnails and images are served by sample id", async () => {
  const thumb = await get('farpoint://app/media/thumb/1');
  assert.equal(thumb.status, 200);
  const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
  assert.ok(thumbMeta.width! > 0 && thumbMeta.width! <= 256);
  const image = await get('farpoint://app/media/image/2?max=64');
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/jpeg');
  const imageMeta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
  assert.deepEqual([imageMeta.width, imageMeta.height], [48, 48], 'never enlarged past the original');
  assert.equal((await get('farpoint://app/media/image/3')).status, 200, 'max is optional');
});

test('patient images are never stored by Chromium: every media answer is no-store, as in web mode', async () => {
  for (const url of ['farpoint://app/media/thumb/1', 'farpoint://app/media/image/2?max=64', 'farpoint://app/media/thumb/999']) {
    assert.equal((await get(url)).headers.get('cache-control'), 'no-store', url);
  }
});

test('unknown samples, malformed ids and paths in place of ids are refused', async () => {
  const cases: [string, number][] = [
    ['farpoint://app/media/thumb/999', 404],
    ['farpoint://app/media/image/999', 404],
    ['farpoint://app/media/thumb/0', 404],
    ['farpoint://app/media/thumb/-1', 404],
    ['farpoint://app/media/thumb/1.5', 404],
    ['farpoint://app/media/thumb/1e3', 404],
    ['farpoint://app/media/thumb/9999999999999999', 404],
    ['farpoint://app/media/thumb/abc', 404],
    ['farpoint://app/media/thumb/', 404],
    ['farpoint://app/media/video/1', 404],
    [`farpoint://app/media/image/${encodeURIComponent(path.join(dir, 'not-imported', 'other.png'))}`, 404],
    ['farpoint://app/media/image/..%2f..%2fsecret.txt', 404],
    ['farpoint://app/media/image/1?max=abc', 400],
    ['farpoint://app/media/image/1?max=-5', 400],
    ['farpoint://app/media/image/1?max=1e9', 400],
  ];
  for (const [url, status] of cases) {
    const res = await get(url);
    assert.equal(res.status, status, `${url}: ${await res.text()}`);
  }
  const unknown = await get('farpoint://app/media/thumb/999');
  assert.match(await unknown.text(), /no thumbnail for sample 999/);
});

test('without an open project no media is served; only reading is allowed', async () => {
  const res = await get('farpoint://app/media/thumb/1', undefined, noProject);
  assert.equal(res.status, 409);
  assert.match(await res.text(), /no project is open/);
  assert.equal((await get('farpoint://app/index.html', undefined, noProject)).status, 200, 'the app itself still loads');
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const res = await get('farpoint://app/index.html', { method, body: method === 'DELETE' ? undefined : 'x' });
    assert.equal(res.status, 405, method);
  }
});
