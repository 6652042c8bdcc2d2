import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnnotationRecord, ProjectStatus, SampleInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { eventually } from '../helpers/eventually';
import { tempDir } from '../helpers/temp';
import { Project } from '../../src/main/store/project';
import { savePredictions, setCurrentRegressorId } from '../../src/main/store/prediction-store';
import { call, openApp, screenshot } from './support/app-page';
import { makeDemoProject } from './support/demo-project';

let backend: TestBackend;
// Created at the top level: its clean-up hook then belongs to the file, not to the `before` hook.
const dir = tempDir();

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
});
after(() => backend?.close());

async function shownSample(page: Page): Promise<number> {
  const img = page.locator('[data-testid=annotate-image]');
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLImageElement>('[data-testid=annotate-image]');
    return el !== null && el.complete && el.naturalWidth > 0;
  });
  return Number(await img.getAttribute('data-sample-id'));
}

/**
 * A sample's stored angle once it equals `expected` (the tool shows the next image before the save behind it lands),
 * or, after the wait, whatever is stored, for the assertion to report.
 */
async function storedAngle(id: number, expected: number): Promise<number | null> {
  const angle = async () => (await call<SampleInfo>(backend, 'getSample', { id })).angle;
  return eventually(`sample ${id} stored at ${expected}`, async () => ((await angle()) === expected ? expected : undefined)).catch(() => angle());
}

async function waitForSampleChange(page: Page, from: number): Promise<number> {
  await page.waitForFunction(
    (old) => {
      const el = document.querySelector<HTMLImageElement>('[data-testid=annotate-image]');
      return el !== null && Number(el.dataset.sampleId) !== old && el.complete && el.naturalWidth > 0;
    },
    from,
  );
  return shownSample(page);
}

/** Drags from the image centre towards (dx, dy) screen pixels. */
async function dragDial(page: Page, dx: number, dy: number): Promise<void> {
  const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx + dx / 4, cy + dy / 4 + 1);
  await page.mouse.down();
  await page.mouse.move(cx + dx / 2, cy + dy / 2, { steps: 4 });
  await page.mouse.move(cx + dx, cy + dy, { steps: 4 });
  await page.mouse.up();
}

test('drag, keys, Enter, undo and exclude change what the back end stores', async () => {
  const page = await openApp(backend, '#/annotate');
  const first = await shownSample(page);

  // Drag straight right of the centre: 90° (clockwise from up).
  await dragDial(page, 150, 0);
  assert.equal(await page.inputValue('[data-testid=angle-input]'), '90.0');
  // Keys: +1 +1 +1 then −10.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowLeft');
  assert.equal(await page.inputValue('[data-testid=angle-input]'), '83.0');
  await screenshot(page, 'annotate');
  await page.keyboard.press('Enter');
  const second = await waitForSampleChange(page, first);

  assert.equal(await storedAngle(first, 83), 83);
  const history = await call<AnnotationRecord[]>(backend, 'annotationHistory', { sampleId: first });
  assert.equal(history.at(-1)?.action, 'set');
  assert.equal(history.at(-1)?.source, 'hand');

  // Keyboard only: two big steps anticlockwise from 0 wraps to 340°.
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Enter');
  const third = await waitForSampleChange(page, second);
  assert.equal(await storedAngle(second, 340), 340);

  // Backspace undoes the last save and brings that sample back.
  await page.keyboard.press('Backspace');
  await page.waitForFunction((id) => document.querySelector<HTMLImageElement>('[data-testid=annotate-image]')?.dataset.sampleId === String(id), second);
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: second })).angle, null);
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: first })).angle, 83, 'undo reverts only the last save');
  // The history of the sample on screen shows the set and its undo.
  await page.locator('[data-testid=history] tr[data-action=undo]').waitFor();

  // X excludes the sample on screen from the pool.
  await page.keyboard.press('x');
  await waitForSampleChange(page, second);
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: second })).status, 'excluded');
  const status = await call<ProjectStatus>(backend, 'getStatus');
  assert.equal(status.excluded, 1);
  assert.equal(status.labeled, 1);
  assert.notEqual(third, second);

  // Typing a value and Enter saves exactly that value.
  const typedFor = await shownSample(page);
  await page.fill('[data-testid=angle-input]', '123.5');
  await page.press('[data-testid=angle-input]', 'Enter');
  await waitForSampleChange(page, typedFor);
  assert.equal(await storedAngle(typedFor, 123.5), 123.5);

  // "?" shows the keys.
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('?');
  await page.locator('[data-testid=key-help]').waitFor();
  await screenshot(page, 'annotate-keys');
  await page.keyboard.press('Escape');
  await page.close();
});

test('the axial setting turns the arrow into a headless line and stores 0–180°', async () => {
  const page = await openApp(backend, '#/annotate');
  await shownSample(page);
  assert.equal(await page.locator('[data-testid=dial-head]').count(), 1, 'full circle draws an arrow head');

  // Labels exist already, so the switch asks first.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.check('[data-testid=angle-mode] input[value=axial]');
  await page.locator('svg.dial[data-mode=axial]').waitFor();
  assert.equal((await call<ProjectStatus>(backend, 'getStatus')).settings.angleMode, 'axial');
  assert.equal(await page.locator('[data-testid=dial-head]').count(), 0, 'axial draws no head');
  assert.match(await page.locator('.annotate .caption').innerText(), /0–180/);

  // Pointing left (270° on the full circle) is 90° on the axial half circle.
  const id = await shownSample(page);
  await dragDial(page, -150, 0);
  assert.equal(await page.inputValue('[data-testid=angle-input]'), '90.0');
  await screenshot(page, 'annotate-axial');
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('Enter');
  await waitForSampleChange(page, id);
  assert.equal(await storedAngle(id, 90), 90);

  await call(backend, 'updateSettings', { angleMode: 'full' });
  await page.locator('svg.dial[data-mode=full]').waitFor();
  await page.close();
});

test('a model prediction starts the dial, marked as a suggestion until the user moves it', async () => {
  const unlabeled = await call<{ samples: SampleInfo[] }>(backend, 'listSamples', { status: 'unlabeled', limit: 1 });
  const id = unlabeled.samples[0]!.id;
  // A stored orientation model with one prediction, as the evaluation area writes them.
  const project = Project.open(backend.session.project.path);
  const model = project.db
    .prepare("INSERT INTO models (kind, state, settings, backend, created_at) VALUES ('regressor', 'ready', '{}', 'cpu', ?)")
    .run(new Date().toISOString());
  setCurrentRegressorId(project.db, Number(model.lastInsertRowid));
  savePredictions(project.db, Number(model.lastInsertRowid), [id], [211]);
  project.close();

  const page = await openApp(backend, `#/annotate/${id}`);
  await page.locator('[data-testid=suggestion-badge]').waitFor();
  assert.equal(await page.inputValue('[data-testid=angle-input]'), '211.0');
  assert.equal(await page.locator('[data-testid=dial-suggestion]').count(), 1);
  await screenshot(page, 'annotate-suggestion');
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('ArrowRight');
  await page.locator('[data-testid=suggestion-badge]').waitFor({ state: 'detached' });
  await page.keyboard.press('Enter');
  await page.waitForFunction((old) => document.querySelector<HTMLImageElement>('[data-testid=annotate-image]')?.dataset.sampleId !== String(old), id);
  assert.equal(await storedAngle(id, 212), 212);
  await page.close();
});

test('a label the back end refuses stays on screen and is saved by Retry', async () => {
  const page = await openApp(backend, '#/annotate');
  const sample = await shownSample(page);
  const before = (await call<SampleInfo>(backend, 'getSample', { id: sample })).angle;
  // A real SQLite refusal: this connection may read but not write, as on a read-only project file.
  backend.session.project.db.pragma('query_only = ON');
  await page.fill('[data-testid=angle-input]', '77');
  await page.press('[data-testid=angle-input]', 'Enter');
  const bar = page.locator('[data-testid=unsaved-labels]');
  await bar.waitFor();
  const text = await bar.innerText();
  assert.match(text, new RegExp(`#${sample}\\b`));
  assert.match(text, /read-only/);
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: sample })).angle, before, 'nothing was stored');
  await screenshot(page, 'annotate-unsaved');

  // Retry reopens the project (a read-only connection stays read-only) and saves the kept value.
  await page.getByRole('button', { name: 'Retry saving' }).click();
  await bar.waitFor({ state: 'detached' });
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: sample })).angle, 77);
});
