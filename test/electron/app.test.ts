import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { requestNames } from '../../src/shared/contract';
import { repoRoot } from '../helpers/cli';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { findElectronBinary } from './support/electron-binary';

/**
 * The desktop app itself: the built shell (dist/electron) in the real
 * Electron binary, driven by Playwright. The same first-screen flow as the
 * browser test (create a project from a folder, see its thumbnails), through
 * the preload bridge, IPC, the utility process and the farpoint:// protocol,
 * then the locks: sandbox, CSP, navigation, permissions, IPC validation.
 * Where no Electron binary is installed it is skipped, with the reason.
 */
const electron = findElectronBinary();
const dir = tempDir('farpoint-electron-');
let app: ElectronApplication | null = null;
after(async () => app?.close());

async function launch(): Promise<Page> {
  const main = path.join(repoRoot, 'dist', 'electron', 'main.js');
  assert.ok(fs.existsSync(main), 'dist/electron/main.js is missing: run `npm run build` first');
  const args = [repoRoot];
  // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer keeps sandbox: true.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  app = await _electron.launch({
    executablePath: electron.path!,
    args,
    env: { ...process.env, FARPOINT_CONFIG_DIR: path.join(dir, 'config'), FARPOINT_PROJECT: '' },
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.locator('.shell').waitFor({ timeout: 30_000 });
  return page;
}

test('the desktop app: first-screen flow through the bridge, then every lock holds', { skip: electron.skip, timeout: 240_000 }, async () => {
  await writeImageFolder(path.join(dir, 'images'), 7);
  const page = await launch();
  assert.equal(page.url(), 'farpoint://app/index.html');

  // One window, and a page with no Node in it (the options themselves are unit-tested in electron-window.test.ts).
  assert.equal(await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length), 1);
  assert.deepEqual(await page.evaluate('[typeof Buffer, typeof global, typeof module, typeof __dirname]'), ['undefined', 'undefined', 'undefined', 'undefined']);

  // The page sees the contract and nothing else.
  const exposed = (await page.evaluate('Object.keys(window.farpoint).sort()')) as string[];
  assert.deepEqual(exposed, [...requestNames, 'onEvent', 'mediaBase'].sort());
  assert.deepEqual(await page.evaluate('[typeof require, typeof process, typeof ipcRenderer, typeof window.farpoint.ipcRenderer, window.farpoint.mediaBase]'), [
    'undefined',
    'undefined',
    'undefined',
    'undefined',
    'farpoint://app/media',
  ]);

  // The same flow as the browser test: create a project from a folder, see its thumbnails.
  await page.fill('input[name=new-path]', path.join(dir, 'desktop.farpoint'));
  await page.fill('input[name=new-folder]', path.join(dir, 'images'));
  await page.click('button:text("Create")');
  const thumbs = page.locator('[data-testid=thumbnail-grid] img');
  await thumbs.nth(6).waitFor({ timeout: 60_000 });
  assert.equal(await thumbs.count(), 7);
  await page.waitForFunction('[...document.querySelectorAll("[data-testid=thumbnail-grid] img")].every((i) => i.complete && i.naturalWidth > 0)');
  assert.match((await thumbs.first().getAttribute('src'))!, /^farpoint:\/\/app\/media\/thumb\/\d+$/);
  await page.locator('[data-testid=count-samples]', { hasText: '7 samples' }).waitFor();

  // A label through the bridge, and the validator on the main side.
  const labeled = await page.evaluate(`(async () => {
    const { samples } = await window.farpoint.listSamples({ limit: 1 });
    await window.farpoint.saveLabel({ sampleId: samples[0].id, angle: 45 });
    return (await window.farpoint.getStatus({})).labeled;
  })()`);
  assert.equal(labeled, 1);
  assert.match(String(await page.evaluate('window.farpoint.getSample({ id: -1 }).then(() => "accepted", (e) => e.message)')), /invalid argument for getSample/);
  assert.match(String(await page.evaluate('window.farpoint.getSample({ id: 99999 }).then(() => "accepted", (e) => e.message)')), /no sample with id 99999/);

  // The CSP: no eval, no inline script, no network.
  assert.equal(await page.evaluate('(() => { try { eval("1"); return "ran"; } catch (e) { return e.name; } })()'), 'EvalError');
  assert.equal(
    await page.evaluate(`new Promise((resolve) => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      setTimeout(() => resolve(window.__inlineRan === true), 200);
    })`),
    false,
  );
  assert.equal(await page.evaluate('fetch("https://example.org/").then(() => "fetched", () => "blocked")'), 'blocked');

  // The protocol serves only the bundle and the project's samples.
  assert.equal(await page.evaluate('fetch("farpoint://app/..%2f..%2fpackage.json").then((r) => r.status)'), 404);
  assert.equal(await page.evaluate('fetch("farpoint://app/media/thumb/99999").then((r) => r.status)'), 404);

  // No second window, no navigation away, no permissions.
  assert.equal(await page.evaluate('window.open("farpoint://app/index.html") === null'), true);
  assert.equal(await page.evaluate('window.open("file:///etc/passwd") === null'), true);
  assert.equal(await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length), 1);
  await page.evaluate('location.href = "file:///etc/passwd"');
  await page.waitForTimeout(500);
  assert.equal(page.url(), 'farpoint://app/index.html', 'navigation away from the app is refused');
  assert.equal(await page.evaluate('Notification.requestPermission()'), 'denied');
  assert.equal(await page.evaluate('navigator.mediaDevices.getUserMedia({ video: true }).then(() => "granted", (e) => e.name)'), 'NotAllowedError');

  // Heavy work ran in a utility process, not in the main process.
  // (Chromium's network service is a utility process too, so it is told apart by the name the shell gives its own.)
  const processes = await app!.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => `${m.type}:${m.name ?? ''}`));
  assert.ok(processes.includes('Utility:Farpoint compute'), `the compute utility process ran the import: ${processes.join(', ')}`);
});

test('the desktop app reopens the last project', { skip: electron.skip, timeout: 120_000 }, async () => {
  await app?.close();
  app = null;
  const page = await launch();
  await page.locator('[data-testid=count-samples]', { hasText: '7 samples' }).waitFor({ timeout: 30_000 });
});
