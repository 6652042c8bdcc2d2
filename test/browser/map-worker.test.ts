import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';
import { clusteredMapBackend } from './support/clustered-map';

/** Enough points that the map's index is built in its Web Worker. */
const SAMPLES = 60_000;
let backend: TestBackend;
const dir = tempDir();

before(async () => {
  backend = await clusteredMapBackend(path.join(dir, 'map-worker.farpoint'), { samples: SAMPLES, clusters: 5, dim: 4, spread: 0.5, seed: 8 });
});
after(() => backend?.close());

test(`a ${SAMPLES.toLocaleString('en-US')}-point map is indexed in a worker, drawn whole, and its points are found under the cursor`, async () => {
  const page = await openApp(backend, '#/map');
  const canvas = page.locator('[data-testid=scatter-canvas]');
  await page.waitForFunction((n) => document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.points === String(n), SAMPLES, { timeout: 120_000 });
  await page.locator('[data-testid=map-loading]').waitFor({ state: 'detached' });
  assert.equal(await canvas.getAttribute('data-indexed-by'), 'worker');
  const map = await call<{ ids: number[] }>(backend, 'getLatentMap');
  const target = map.ids[12_345]!;
  const at = (await page.evaluate((id) => window.farpointAutomation!.mapPointOf!(id), target))!;
  await page.mouse.move(at.x, at.y);
  const tip = page.locator('[data-testid=map-tooltip]');
  await tip.waitFor();
  // The nearest point to the cursor: the target or one drawn on the same pixel.
  const hovered = Number(await tip.getAttribute('data-sample-id'));
  const near = (await page.evaluate((id) => window.farpointAutomation!.mapPointOf!(id), hovered))!;
  assert.ok(Math.hypot(near.x - at.x, near.y - at.y) <= 1, `sample ${hovered} at ${JSON.stringify(near)}, cursor at ${JSON.stringify(at)}`);
  await screenshot(page, 'map-60k');
  await page.close();
});
