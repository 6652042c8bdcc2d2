import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AnnotationRecord, AnnotatorInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
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

const angleOf = (id: number, want: number) => sampleWhen(backend, id, (s) => s.angle === want).then((s) => s.angle);

test('digits typed anywhere go to the angle box; snap and dial keys turn by 45°, 90°, 180° or point straight', async () => {
  const page = await openApp(backend, '#/annotate');
  const first = await shownSample(page);
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.type('135');
  assert.equal(await page.inputValue('[data-testid=angle-input]'), '135');
  await page.keyboard.press('Enter');
  const second = await nextShown(page, first);
  assert.equal(await angleOf(first, 135), 135);

  // The box has the keyboard now: the turning keys act on the image once it is clicked.
  await page.locator('[data-testid=viewport]').focus();
  const steps: [string, string][] = [
    ['e', '45.0'],
    ['Shift+E', '135.0'],
    ['f', '315.0'],
    ['q', '270.0'],
    ['Shift+Q', '180.0'],
    ['Control+ArrowRight', '90.0'],
    ['Control+ArrowUp', '0.0'],
    ['Control+ArrowLeft', '270.0'],
    ['Control+ArrowDown', '180.0'],
  ];
  for (const [key, shown] of steps) {
    await page.keyboard.press(key);
    assert.equal(await page.inputValue('[data-testid=angle-input]'), shown, key);
  }
  await page.keyboard.press('Enter');
  await nextShown(page, second);
  assert.equal(await angleOf(second, 180), 180);
  await page.close();
});

test('the annotator name set in the app is stored with every label and counted; progress counts this session', async () => {
  const who = await call<AnnotatorInfo>(backend, 'getAnnotator');
  assert.ok(who.osUser.length > 0);
  const page = await openApp(backend, '#/annotate');
  const first = await shownSample(page);
  await page.fill('[data-testid=annotator-name]', 'Ada Lovelace');
  await page.press('[data-testid=annotator-name]', 'Enter');
  assert.equal((await sampleWhen(backend, first, () => true)).angle, null, 'Enter in the name field saves nothing');
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid=annotator-name]')?.value === 'Ada Lovelace');
  await page.fill('[data-testid=session-budget]', '20');
  await page.press('[data-testid=session-budget]', 'Tab');

  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  const second = await nextShown(page, first);
  await page.keyboard.type('8');
  await page.keyboard.press('Enter');
  await nextShown(page, second);
  assert.equal(await angleOf(second, 8), 8);
  const entry = (await call<AnnotationRecord[]>(backend, 'annotationHistory', { sampleId: first })).at(-1);
  assert.equal(entry?.author, 'Ada Lovelace');
  assert.equal(await page.locator('[data-testid=session-labels]').innerText(), '2');
  assert.match(await page.locator('[data-testid=session-progress]').innerText(), /2 \/ 20 labels this session/);
  await page.locator('[data-testid=annotator-counts] [data-author="Ada Lovelace"]').waitFor();
  assert.match(await page.locator('[data-testid=annotator-counts]').innerText(), /Ada Lovelace 2/);
  await screenshot(page, 'annotate-progress');

  // A name of only spaces is refused with the reason; the stored name stays.
  await page.fill('[data-testid=annotator-name]', '   ');
  await page.press('[data-testid=annotator-name]', 'Tab');
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid=annotator-name]')?.value === 'Ada Lovelace');
  assert.equal((await call<AnnotatorInfo>(backend, 'getAnnotator')).name, 'Ada Lovelace');
  await call(backend, 'setAnnotator', { annotator: who.name });
  await page.close();
});
