import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SampleInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { call, openApp } from './support/app-page';
import { nextShown, sampleWhen, shownSample } from './support/annotate-page';
import { makeDemoProject } from './support/demo-project';

let backend: TestBackend;
const dir = tempDir();

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
});
after(() => backend?.close());

const angleOf = (id: number, want: number) => sampleWhen(backend, id, (s) => s.angle === want).then((s) => s.angle);

test('typed angles: each image selects the box, and what was typed is what is stored', async () => {
  const page = await openApp(backend, '#/annotate');
  let id = await shownSample(page);
  await page.click('[data-testid=angle-input]');
  await page.keyboard.press('Control+A');
  const stored: [number, number][] = [];
  for (const value of ['324', '96', '238']) {
    await page.keyboard.type(value.slice(0, 2));
    // Mid-typing the box shows exactly the keys pressed, not a reformatted value.
    assert.equal(await page.inputValue('[data-testid=angle-input]'), value.slice(0, 2));
    await page.keyboard.type(value.slice(2));
    await page.keyboard.press('Enter');
    stored.push([id, Number(value)]);
    id = await nextShown(page, id);
  }
  // Ctrl+A and typing replaces the text too.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('91');
  await page.keyboard.press('Enter');
  stored.push([id, 91]);
  await nextShown(page, id);
  for (const [sample, value] of stored) assert.equal(await angleOf(sample, value), value, `sample ${sample}`);
  await page.close();
});

test('after a mouse click on a button, Enter saves the image on screen instead of repeating the button', async () => {
  const page = await openApp(backend, '#/annotate');
  const first = await shownSample(page);
  await page.getByRole('button', { name: /^Exclude/ }).click();
  const second = await nextShown(page, first);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const third = await nextShown(page, second);
  const saved = await sampleWhen(backend, second, (s) => s.angle !== null);
  assert.equal(saved.status, 'active', 'Enter did not exclude the next image');
  assert.equal(saved.angle, 2);
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: first })).status, 'excluded');

  // The same after Skip: the dialed value is saved, not thrown away by a second skip.
  await page.keyboard.press('Shift+ArrowRight');
  await page.getByRole('button', { name: /^Skip/ }).click();
  const fourth = await nextShown(page, third);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await nextShown(page, fourth);
  assert.equal(await angleOf(fourth, 3), 3);
  // Space on a focused button would press it again: focus is back on the image.
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BUTTON');
  await page.close();
});
