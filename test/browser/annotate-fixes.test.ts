import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AnnotationRecord, SampleInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { call, openApp } from './support/app-page';
import { lastEntry, nextShown, sampleWhen, shown, shownSample } from './support/annotate-page';
import { Project } from '../../src/main/store/project';
import { savePredictions, setCurrentRegressorId } from '../../src/main/store/prediction-store';
import { makeDemoProject, trainSmallModel } from './support/demo-project';

let backend: TestBackend;
const dir = tempDir();

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
  // Skips and queue ranks need the queue, so the samples are embedded first.
  await trainSmallModel(backend);
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

test('undo takes back the last decision, whatever it was, restoring the value before; redo applies it again', async () => {
  const page = await openApp(backend, '#/annotate');
  const a = await shownSample(page);
  await page.locator('[data-testid=viewport]').focus();
  await page.fill('[data-testid=angle-input]', '98');
  await page.press('[data-testid=angle-input]', 'Enter');
  const b = await nextShown(page, a);
  assert.equal(await angleOf(a, 98), 98);

  // Revise A from the strip of recent decisions: 120 over 98.
  await page.locator(`[data-testid=recent-decisions] button[data-sample-id="${a}"]`).click();
  await shown(page, a);
  await page.fill('[data-testid=angle-input]', '120');
  await page.press('[data-testid=angle-input]', 'Enter');
  const c = await nextShown(page, a);
  assert.equal(await angleOf(a, 120), 120);

  // S on the next image, then Backspace: the skip is undone, not A's label.
  await page.keyboard.press('s');
  await nextShown(page, c);
  await page.keyboard.press('Backspace');
  await shown(page, c);
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: a })).angle, 120, 'undoing the skip left the label alone');

  // Exclude, then undo: the sample is back in the pool.
  await page.keyboard.press('x');
  await nextShown(page, c);
  assert.equal((await sampleWhen(backend, c, (s) => s.status === 'excluded')).status, 'excluded');
  await page.keyboard.press('Backspace');
  await shown(page, c);
  assert.equal((await sampleWhen(backend, c, (s) => s.status === 'active')).status, 'active');

  // Undo the revision of A: it comes back at 98, its value before, on screen and stored.
  await page.keyboard.press('Backspace');
  await shown(page, a);
  assert.equal(await angleOf(a, 98), 98);
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid=angle-input]')?.value === '98.0');
  // Redo puts 120 back.
  await page.keyboard.press('Shift+Backspace');
  assert.equal(await angleOf(a, 120), 120);
  const source = (await call<SampleInfo>(backend, 'getSample', { id: a })).angleSource;
  assert.equal(source, 'hand');

  // Undo both saves of A: no label, as before the session.
  await page.keyboard.press('Backspace');
  await shown(page, a);
  assert.equal(await angleOf(a, 98), 98);
  await page.keyboard.press('Backspace');
  assert.equal((await sampleWhen(backend, a, (s) => s.angle === null)).angle, null);
  assert.ok(b > 0);

  // Past the start of the session it asks first; declining undoes nothing.
  const labeledBefore = (await call<{ labeled: number }>(backend, 'getStatus')).labeled;
  const asked = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.message()))));
  await page.keyboard.press('Backspace');
  assert.match(await asked, /before/);
  assert.equal((await call<{ labeled: number }>(backend, 'getStatus')).labeled, labeledBefore);
  await page.close();
});

test('an excluded sample can be included from Annotate, and labeling an excluded sample includes it', async () => {
  const page = await openApp(backend, '#/annotate');
  const first = await shownSample(page);
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('x');
  const second = await nextShown(page, first);
  await page.keyboard.press('x');
  await nextShown(page, second);
  await sampleWhen(backend, second, (s) => s.status === 'excluded');

  // Open the first again: Include puts it back in the pool and leaves it on screen.
  await page.goto(`${backend.server.launchUrl}#/annotate/${first}`);
  await shown(page, first);
  await page.getByRole('button', { name: /^Include/ }).click();
  assert.equal((await sampleWhen(backend, first, (s) => s.status === 'active')).status, 'active');
  await page.locator('[data-testid=include]').waitFor({ state: 'detached' });

  // The second gets a label while excluded: it is back in the pool with it.
  await page.goto(`${backend.server.launchUrl}#/annotate/${second}`);
  await shown(page, second);
  await page.fill('[data-testid=angle-input]', '45');
  await page.press('[data-testid=angle-input]', 'Enter');
  const labeled = await sampleWhen(backend, second, (s) => s.angle === 45);
  assert.equal(labeled.status, 'active');
  await page.close();
});

test('labels made in queue order store consecutive ranks; a sample opened from a Queue row stores its position then', async () => {
  const labeledBefore = (await call<{ labeled: number }>(backend, 'getStatus')).labeled;
  const page = await openApp(backend, '#/annotate');
  let id = await shownSample(page);
  await page.locator('[data-testid=viewport]').focus();
  const ids: number[] = [];
  // Quick Enters: the next image is on screen before each save lands.
  for (let i = 0; i < 4; i++) {
    ids.push(id);
    await page.keyboard.press('Enter');
    id = await nextShown(page, id);
  }
  const ranks: (number | null)[] = [];
  for (const sample of ids) ranks.push((await lastEntry(backend, sample, 1))!.queueRank);
  assert.deepEqual(ranks, [1, 2, 3, 4].map((k) => labeledBefore + k));

  // The queue's 3rd entry, opened from its row.
  await page.goto(`${backend.server.launchUrl}#/queue`);
  const row = page.locator('[data-testid=queue-row][data-rank="3"]');
  const third = Number(await row.getAttribute('data-sample-id'));
  await row.locator('a.name').click();
  await shown(page, third);
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('Enter');
  await nextShown(page, third);
  assert.equal((await lastEntry(backend, third, 1))!.queueRank, labeledBefore + 4 + 3);
  await page.close();
});

test('an accepted model suggestion is stored as a suggestion with the model that made it', async () => {
  const unlabeled = await call<{ samples: SampleInfo[] }>(backend, 'listSamples', { status: 'unlabeled', limit: 1 });
  const id = unlabeled.samples[0]!.id;
  const project = Project.open(backend.session.project.path);
  const model = Number(
    project.db.prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('regressor', 'ready', '{}', 'cpu', ?)").run(new Date().toISOString()).lastInsertRowid,
  );
  setCurrentRegressorId(project.db, model);
  savePredictions(project.db, model, [id], [211]);
  project.close();

  const page = await openApp(backend, `#/annotate/${id}`);
  await page.locator('[data-testid=suggestion-badge]').waitFor();
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('Enter');
  await nextShown(page, id);
  assert.equal(await angleOf(id, 211), 211);
  const entry = (await call<AnnotationRecord[]>(backend, 'annotationHistory', { sampleId: id })).at(-1);
  assert.equal(entry?.angle, 211);
  assert.equal(entry?.source, 'suggestion');
  assert.equal(entry?.modelId, model);
  await page.close();
});
