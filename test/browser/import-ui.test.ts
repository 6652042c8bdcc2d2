import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import type { ProjectStatus } from '../../src/shared/domain';
import { startBackend } from '../helpers/backend';
import { writeImageFolder } from '../helpers/images';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';

const dir = tempDir();

test('the first screen creates a project from a folder and shows its thumbnails', async () => {
  await writeImageFolder(path.join(dir, 'images'), 7);
  const backend = await startBackend(null);
  after(() => backend.close());
  const page = await openApp(backend);
  await screenshot(page, 'open-project');

  await page.fill('input[name=new-path]', path.join(dir, 'line3.farpoint'));
  await page.fill('input[name=new-folder]', path.join(dir, 'images'));
  await page.click('button:text("Create")');

  const thumbs = page.locator('[data-testid=thumbnail-grid] img');
  await thumbs.nth(6).waitFor();
  assert.equal(await thumbs.count(), 7);
  // Every thumbnail actually decoded (a broken image has naturalWidth 0).
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('[data-testid=thumbnail-grid] img')].every((i) => i.complete && i.naturalWidth > 0),
  );
  await page.locator('[data-testid=count-samples]', { hasText: '7 samples' }).waitFor();

  const status = await call<ProjectStatus>(backend, 'getStatus');
  assert.equal(status.samples, 7);
  assert.equal(status.path, path.join(dir, 'line3.farpoint'));
  await screenshot(page, 'samples');
});

test('a request that fails shows a readable message instead of a blank screen', async () => {
  const backend = await startBackend(null);
  after(() => backend.close());
  const page = await openApp(backend);
  await page.fill('input[name=open-path]', path.join(dir, 'no-such.farpoint'));
  await page.click('button:text("Open")');
  const error = page.locator('[data-testid=error]');
  await error.waitFor();
  assert.match(await error.innerText(), /no-such\.farpoint/);
  // The first screen is still there and usable.
  assert.ok(await page.locator('input[name=new-path]').isVisible());
});
