import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProjectStatus } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { eventually } from '../helpers/eventually';
import { tempDir } from '../helpers/temp';
import type { Page } from 'playwright-core';
import { call, openApp, screenshot } from './support/app-page';
import { nextShown, sampleWhen, shownSample } from './support/annotate-page';
import { makeDemoProject } from './support/demo-project';

let backend: TestBackend;
const dir = tempDir();

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
});
after(() => backend?.close());

const image = '[data-testid=annotate-image]';
const styleOf = (page: Page) =>
  page.locator(image).evaluate((el) => {
    const img = el as HTMLImageElement;
    const s = getComputedStyle(img);
    return { filter: s.filter, rendering: s.imageRendering, width: img.getBoundingClientRect().width, natural: img.naturalWidth, dpr: window.devicePixelRatio };
  });
const storedAdjustments = (want: string) =>
  eventually(`stored adjustments ${want}`, async () => {
    const a = (await call<ProjectStatus>(backend, 'getStatus')).settings.imageAdjustments;
    return JSON.stringify(a) === want ? a : undefined;
  });

test('brightness, contrast, invert and 1:1 pixels by keys and buttons are remembered by the project; labels still save', async () => {
  const page = await openApp(backend, '#/annotate');
  await shownSample(page);
  assert.equal((await styleOf(page)).filter, 'none');

  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('b');
  await page.keyboard.press('b');
  await page.keyboard.press('Shift+C');
  await page.keyboard.press('n');
  await page.click('[data-testid=adjust-more-contrast]');
  await page.click('[data-testid=adjust-more-contrast]');
  await page.click('[data-testid=adjust-pixel-zoom]');
  let style = await styleOf(page);
  assert.equal(style.filter, 'brightness(1.2) contrast(1.1) invert(1)');
  assert.equal(style.rendering, 'pixelated');
  assert.ok(Math.abs(style.width - style.natural / style.dpr) < 0.5, `1:1: ${style.width} px for ${style.natural} image pixels`);
  assert.equal(await page.inputValue('[data-testid=angle-input]'), '0.0', 'the adjustment keys leave the angle alone');
  await storedAdjustments(JSON.stringify({ brightness: 120, contrast: 110, invert: true, pixelZoom: true }));

  // The help lists the keys.
  await page.keyboard.press('?');
  assert.match(await page.locator('[data-testid=key-help]').innerText(), /invert \(negative\)/);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=key-help]').waitFor({ state: 'detached' });
  await page.close();

  // A new page reads them back from the project.
  const again = await openApp(backend, '#/annotate');
  const shownAgain = await shownSample(again);
  style = await styleOf(again);
  assert.equal(style.filter, 'brightness(1.2) contrast(1.1) invert(1)');
  assert.equal(style.rendering, 'pixelated');
  await screenshot(again, 'annotate-adjustments');

  // Labeling works as before with the adjustments on, and the next image keeps them.
  await again.locator('[data-testid=viewport]').focus();
  await again.keyboard.type('42');
  await again.keyboard.press('Enter');
  await nextShown(again, shownAgain);
  assert.equal((await sampleWhen(backend, shownAgain, (s) => s.angle === 42)).angle, 42);
  assert.equal((await styleOf(again)).filter, 'brightness(1.2) contrast(1.1) invert(1)');

  // Reset by key and the button is off again; the project forgets them.
  await again.locator('[data-testid=viewport]').focus();
  await again.keyboard.press('r');
  style = await styleOf(again);
  assert.equal(style.filter, 'none');
  assert.equal(style.rendering, 'auto');
  assert.ok(await again.locator('[data-testid=adjust-reset]').isDisabled());
  await storedAdjustments(JSON.stringify({ brightness: 100, contrast: 100, invert: false, pixelZoom: false }));
  await again.close();
});
