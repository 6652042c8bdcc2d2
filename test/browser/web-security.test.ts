import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startWebServer } from '../../src/main/doors/server/web-server';
import type { SampleInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { launchPersistentChromium } from '../helpers/browser';
import { tempDir } from '../helpers/temp';
import { browser, call } from './support/app-page';
import { makeDemoProject } from './support/demo-project';

// The web mode as a real Chromium uses it, next to a hostile page served from another port of 127.0.0.1.
let backend: TestBackend;
const dir = tempDir();

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
});
after(() => backend?.close());

/** Waits until the samples view shows at least `count` thumbnails that actually loaded (the API and the media both answered). */
async function thumbnailsShown(page: Page, count = 3): Promise<void> {
  await page.waitForFunction(
    (n) => [...document.querySelectorAll<HTMLImageElement>('[data-testid=thumbnail-grid] img')].filter((img) => img.complete && img.naturalWidth > 0).length >= n,
    count,
  );
}

/** A second local web server, as any other program on the machine could run, serving `html` at `/`. */
async function hostileServer(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

test("a restart on the same port: the URL's token wins over a stale stored token and a stale cookie, and leaves the address bar", async () => {
  const first = await startWebServer(backend.session, backend.handlers, { token: 'token-of-an-earlier-run' });
  const context = await (await browser()).newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${first.launchUrl}#/samples`);
  await thumbnailsShown(page);
  await first.close();

  const second = await startWebServer(backend.session, backend.handlers, { port: first.port, token: 'token-of-this-run' });
  try {
    // What the old scheme left behind in users' browsers.
    await context.addCookies([{ name: 'farpoint_token', value: 'token-of-an-earlier-run', url: second.url }]);
    await page.goto(`${second.launchUrl}#/samples`);
    await thumbnailsShown(page);
    assert.equal(page.url(), `${second.url}/#/samples`, 'the token is gone from the address bar');
    const stored = await page.evaluate(() => Object.values(sessionStorage));
    assert.deepEqual(stored, ['token-of-this-run']);
    const persistent = await page.evaluate(() => ({ local: localStorage.length, cookies: document.cookie }));
    assert.deepEqual(persistent, { local: 0, cookies: 'farpoint_token=token-of-an-earlier-run' }, 'the page writes nothing to persistent storage');

    // A reload (no token in the URL now) keeps working from the tab's storage.
    await page.reload();
    await thumbnailsShown(page);
    assert.ok(!page.url().includes('token'));
  } finally {
    await context.close();
    await second.close();
  }
});

test('the page opened without its token says which URL to open', async () => {
  const context = await (await browser()).newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${backend.server.url}/#/samples`);
    await page.getByTestId('error').filter({ hasText: 'farpoint serve' }).waitFor();
  } finally {
    await context.close();
  }
});

test('a page from another local port gets nothing: no-cors and form POSTs are refused and change nothing', async () => {
  const app = backend.server.url;
  const target = path.join(dir, 'planted-by-a-form.farpoint');
  const before = await call<{ path: string }>(backend, 'getStatus');
  const hostile = await hostileServer(`<!doctype html><body>
    <form id="f" method="POST" enctype="text/plain" action="${app}/api/call/createProject">
      <input name='{"path":"${target}","x":"' value='"}'>
    </form>
    <script>
      window.attempts = (async () => {
        const label = JSON.stringify({ sampleId: 1, angle: 42 });
        const results = [];
        for (const init of [
          { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: label },
          { method: 'POST', mode: 'no-cors', credentials: 'include', body: new Blob([label]) },
          { method: 'POST', mode: 'cors', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: label },
        ]) {
          try { const res = await fetch('${app}/api/call/saveLabel', init); results.push(res.type + ':' + res.status); }
          catch (err) { results.push('refused: ' + err.message); }
        }
        const img = new Image();
        img.src = '${app}/media/thumb/1';
        results.push(await img.decode().then(() => 'image shown', () => 'image refused'));
        return results;
      })();
    </script></body>`);
  const context = await (await browser()).newContext();
  try {
    // The user has the app open in the same browser: whatever it stores is there to be sent.
    const appPage = await context.newPage();
    await appPage.goto(`${backend.server.launchUrl}#/samples`);
    await thumbnailsShown(appPage);

    const page = await context.newPage();
    const answers: string[] = [];
    page.on('response', (res) => {
      if (res.url().startsWith(app)) answers.push(`${res.request().method()} ${new URL(res.url()).pathname} ${res.status()}`);
    });
    await page.goto(hostile.url);
    const results = await page.evaluate(() => (window as unknown as { attempts: Promise<string[]> }).attempts);
    assert.ok(!results.includes('image shown'), results.join(', '));
    assert.ok(!results.some((r) => r === 'cors:200'), results.join(', '));

    await Promise.all([page.waitForURL(`${app}/api/call/createProject`), page.click('#f input', { force: true }).then(() => page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit()))]);
    const formAnswer = await page.locator('body').innerText();
    assert.match(formAnswer, /forbidden|unsupported Content-Type|unauthorized/, formAnswer);

    for (const answer of answers) assert.match(answer, / (401|403|415)$/, `${answer} (all: ${answers.join('; ')})`);
    assert.ok(answers.some((a) => a.startsWith('POST /api/call/createProject')), answers.join('; '));
    const sample = await call<SampleInfo & { angle: number | null }>(backend, 'getSample', { id: 1 });
    assert.equal(sample.angle, null, 'no label was saved');
    assert.ok(!fs.existsSync(target), 'no project file was created');
    assert.equal((await call<{ path: string }>(backend, 'getStatus')).path, before.path, 'the user is still on their project');
  } finally {
    await context.close();
    await hostile.close();
  }
});

test("browsing with a profile on disk leaves no image in Chromium's disk cache", async () => {
  const profile = path.join(dir, 'chromium-profile');
  const context = await launchPersistentChromium(profile);
  let loaded = 0;
  try {
    const page = await context.newPage();
    page.on('response', (res) => {
      if (res.url().includes('/media/') && res.status() === 200) loaded++;
    });
    await page.goto(`${backend.server.launchUrl}#/samples`);
    await thumbnailsShown(page, 10);
    await page.goto(`${backend.server.url}/#/annotate`);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid=annotate-image]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await page.goto(`${backend.server.url}/#/samples`);
    await thumbnailsShown(page, 10);
  } finally {
    await context.close();
  }
  assert.ok(loaded >= 10, `${loaded} images loaded`);
  const entries = filesUnder(path.join(profile, 'Default', 'Cache')).map(cacheEntryUrl).filter((url) => url !== null);
  assert.ok(entries.some((url) => url.includes('/assets/')), `the disk cache was in use: ${entries.join(', ')}`);
  assert.deepEqual(
    entries.filter((url) => url.includes('/media/')),
    [],
    'images in the disk cache',
  );
});

/** The URL a Chromium simple-cache entry file holds (its key: a 24-byte header gives its length), or null for other files. */
function cacheEntryUrl(file: string): string | null {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 24 || bytes.readBigUInt64LE(0) !== 0xfcfb6d1ba7725c30n) return null;
  const key = bytes.subarray(24, 24 + bytes.readUInt32LE(12)).toString('utf8');
  return key.split(' ').at(-1) ?? null;
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
