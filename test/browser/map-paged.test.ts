import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';
import { clusteredMapBackend } from './support/clustered-map';

const SAMPLES = 3000;
let backend: TestBackend;
const dir = tempDir();

before(async () => {
  // The map job computes the projection once; the view then loads it in parts.
  backend = await clusteredMapBackend(path.join(dir, 'map-paged.farpoint'), { samples: SAMPLES, clusters: 6, dim: 8, spread: 0.6, seed: 4 });
});
after(() => backend?.close());

const draws = () => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0);

test('the map loads in parts: the first part is drawn while the rest is held back, then every point', async () => {
  const page = await openApp(backend, '#/samples');
  // Hold every part but the first until the first has been drawn.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/call/getLatentMapPage', async (route) => {
    const { part } = route.request().postDataJSON() as { part: number };
    if (part > 0) await released;
    await route.continue();
  });
  await page.click('[data-nav=map]');
  const loading = page.locator('[data-testid=map-loading]');
  await loading.waitFor();
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0) > 0);
  const firstPart = Number(await page.getAttribute('[data-testid=scatter-canvas]', 'data-points'));
  assert.ok(firstPart > 0 && firstPart < SAMPLES / 8, `the first part holds ${firstPart} of ${SAMPLES} points`);
  assert.match(await loading.innerText(), new RegExp(`Loading ${firstPart.toLocaleString('en-US')} of ${SAMPLES.toLocaleString('en-US')} points`));
  await screenshot(page, 'map-first-part');
  release();
  await loading.waitFor({ state: 'detached' });
  await page.waitForFunction((n) => document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.points === String(n), SAMPLES);
  // Every sample of the map is on the canvas: each one's point is found where it is drawn.
  const map = await call<{ ids: number[] }>(backend, 'getLatentMap');
  const placed = await page.evaluate((ids) => ids.filter((id) => window.farpointAutomation!.mapPointOf!(id) !== null).length, map.ids);
  assert.equal(placed, SAMPLES);
  await page.close();
});

test(`the map of ${SAMPLES} points draws, pans, zooms, and opens a sample on click`, async () => {
  const page = await openApp(backend, '#/map');
  await page.waitForFunction((n) => document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.points === String(n), SAMPLES);
  await page.locator('[data-testid=map-loading]').waitFor({ state: 'detached' });
  const canvas = page.locator('[data-testid=scatter-canvas]');
  const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] !== 255 || px[i + 1] !== 255 || px[i + 2] !== 255) n++;
    return n;
  });
  assert.ok(inked > SAMPLES, `only ${inked} pixels drawn for ${SAMPLES} points`);
  assert.equal(await canvas.getAttribute('data-drawing'), 'points');

  const map = await call<{ ids: number[] }>(backend, 'getLatentMap');
  const target = map.ids[Math.floor(map.ids.length / 3)]!;
  const where = () => page.evaluate((id) => window.farpointAutomation!.mapPointOf!(id), target);
  const box = (await canvas.boundingBox())!;

  // Pan: a drag moves every point by the drag and draws again.
  const before = (await where())!;
  const drawsBefore = await page.evaluate(draws);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 4 });
  await page.mouse.up();
  const panned = (await where())!;
  assert.ok(Math.abs(panned.x - before.x - 60) < 1.5 && Math.abs(panned.y - before.y - 40) < 1.5, `moved from ${JSON.stringify(before)} to ${JSON.stringify(panned)}`);
  assert.ok((await page.evaluate(draws)) > drawsBefore, 'the pan is drawn');

  // Zoom in about the point: it stays put while its neighbours spread out.
  const other = map.ids[Math.floor(map.ids.length / 3) + 1]!;
  const apart = async () => {
    const [a, b] = await page.evaluate((ids) => ids.map((id) => window.farpointAutomation!.mapPointOf!(id)), [target, other]);
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : Infinity;
  };
  const gap = await apart();
  await page.mouse.move(panned.x, panned.y);
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -120);
  await page.waitForFunction(
    ([id, x, y]) => {
      const at = window.farpointAutomation!.mapPointOf!(id!);
      return at !== null && Math.abs(at.x - x!) < 2 && Math.abs(at.y - y!) < 2;
    },
    [target, panned.x, panned.y],
  );
  assert.ok((await apart()) > gap * 1.5, `the zoom spreads neighbours apart (${gap} px before)`);
  await screenshot(page, 'map-zoomed');

  // Click on the point: the annotation tool opens the sample under the cursor (the nearest one).
  const at = (await where())!;
  await page.mouse.move(at.x, at.y);
  const tip = page.locator('[data-testid=map-tooltip]');
  await tip.waitFor();
  const hovered = Number(await tip.getAttribute('data-sample-id'));
  assert.ok(map.ids.includes(hovered));
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((id) => location.hash === `#/annotate/${id}`, hovered);
  await page.close();
});
