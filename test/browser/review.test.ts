import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MoveToFrontResult, ProjectStatus, QueuePage, ReviewPage, SampleInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { eventually } from '../helpers/eventually';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';
import { makeDemoProject, trainSmallModel } from './support/demo-project';

let backend: TestBackend;
const dir = tempDir();
let ids: number[] = [];

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
  await trainSmallModel(backend);
  ids = (await call<ReviewPage>(backend, 'reviewSamples', { limit: 1000 })).samples.map((s) => s.id);
  await call(backend, 'saveLabel', { sampleId: ids[0], angle: 30, queueRank: 1, strategy: 'fps' });
  await call(backend, 'saveLabel', { sampleId: ids[1], angle: 60, queueRank: 2, strategy: 'fps' });
  await call(backend, 'setSampleStatus', { sampleIds: [ids[2], ids[3]], status: 'excluded' });
});
after(() => backend?.close());

const countOf = async (page: import('playwright-core').Page, filter: string) => Number((await page.locator(`[data-testid=filter-count-${filter}]`).innerText()).replace(/\D/g, ''));

test('Samples review: filter labeled, open a tile with Enter, relabel it in Annotate, and come back to the same filter', async () => {
  const page = await openApp(backend, '#/samples');
  await page.locator('[data-testid=review-tile]').first().waitFor();
  assert.equal(await countOf(page, 'labeled'), 2);
  assert.equal(await countOf(page, 'excluded'), 2);
  assert.equal(await countOf(page, 'all'), ids.length);

  await page.check('[data-testid=review-filters] input[value=labeled]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=review-tile]').length === 2);
  const shown = await page.locator('[data-testid=review-tile]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.sampleId)));
  assert.deepEqual(shown, [ids[0], ids[1]]);

  // The keyboard path: focus the second tile and press Enter.
  await page.locator(`[data-testid=review-tile][data-sample-id="${ids[1]}"] [data-testid=review-open]`).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => location.hash === `#/annotate/${id}`, ids[1]);
  await page.waitForFunction((id) => document.querySelector<HTMLImageElement>('[data-testid=annotate-image]')?.dataset.sampleId === String(id), ids[1]);
  // The next sample's queue request is held until after Back: its answer arriving late must not pull the user back
  // into Annotate (it did, replacing the Samples entry, when a loaded machine answered slowly).
  const held: (() => void)[] = [];
  let holding = true;
  await page.route('**/api/call/getQueue', async (route) => {
    if (holding) await new Promise<void>((release) => held.push(release));
    await route.continue();
  });
  const queueAsked = page.waitForRequest('**/api/call/getQueue');
  await page.fill('[data-testid=angle-input]', '200');
  await page.press('[data-testid=angle-input]', 'Enter');
  await eventually('the new label of the opened sample', async () => {
    const s = await call<SampleInfo>(backend, 'getSample', { id: ids[1] });
    return s.angle === 200 ? s : undefined;
  });
  await queueAsked;

  await page.goBack();
  await page.waitForFunction(() => location.hash === '#/samples');
  const nextShown = page.waitForRequest('**/api/call/getSample');
  holding = false;
  for (const release of held) release();
  // Annotate has shown its next sample (the request for its details follows the move) and the user is still here.
  await nextShown;
  assert.equal(await page.evaluate(() => location.hash), '#/samples', 'a late answer in Annotate moved the user back');
  assert.equal(await page.isChecked('[data-testid=review-filters] input[value=labeled]'), true, 'the filter is kept');
  await page.waitForFunction((id) => document.querySelector(`[data-testid=review-tile][data-sample-id="${id}"]`)?.textContent?.includes('200.0°'), ids[1]);

  // Search narrows by file name; the angle range narrows by label.
  await page.fill('[data-testid=review-angle-min]', '190');
  await page.fill('[data-testid=review-angle-max]', '210');
  await page.locator('[data-testid=review-angle-max]').press('Tab');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=review-tile]').length === 1);
  await screenshot(page, 'samples-review');
  await page.close();
});

test('Samples review: bulk Include restores every selected excluded sample, logged as a review action', async () => {
  const page = await openApp(backend, '#/samples');
  await page.locator('[data-testid=review-tile]').first().waitFor();
  await page.check('[data-testid=review-filters] input[value=excluded]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=review-tile][data-status=excluded]').length === 2 && document.querySelectorAll('[data-testid=review-tile]').length === 2);
  await page.getByRole('button', { name: 'Select shown' }).click();
  await page.locator('[data-testid=review-selected]').waitFor();
  await page.click('[data-testid=bulk-include]');
  await page.locator('[data-testid=review-notice]', { hasText: '2 included' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=review-tile]').length === 0);
  assert.equal((await call<ProjectStatus>(backend, 'getStatus')).excluded, 0);
  const reasons = backend.session.project.db.prepare('SELECT reason FROM status_changes WHERE sample_id = ? ORDER BY id').pluck().all(ids[2]) as string[];
  assert.match(reasons.at(-1)!, /include in review by /);

  // One tile's own Include button.
  await call(backend, 'setSampleStatus', { sampleIds: [ids[4]], status: 'excluded' });
  await page.locator(`[data-testid=review-tile][data-sample-id="${ids[4]}"] [data-testid=include-one]`).click();
  await eventually('the single include', async () => ((await call<SampleInfo>(backend, 'getSample', { id: ids[4] })).status === 'active' ? true : undefined));
  await page.close();
});

test('Queue: a moved-to-front block is shown and cleared with its button; labeled samples show with their angles', async () => {
  const queue = await call<QueuePage>(backend, 'getQueue', { limit: 30 });
  const chosen = queue.entries.slice(-3).map((e) => e.sampleId);
  const moved = await call<MoveToFrontResult>(backend, 'moveToFront', { sampleIds: chosen });
  assert.equal(moved.moved, 3);
  const page = await openApp(backend, '#/queue');
  const block = page.locator('[data-testid=queue-front-block]');
  await block.waitFor();
  assert.match(await block.innerText(), /3 samples were moved to the front/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=queue-row][data-front=true]').length === 3);
  const frontIds = await page.locator('[data-testid=queue-row][data-front=true]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.sampleId)));
  assert.deepEqual([...frontIds].sort((a, b) => a - b), [...chosen].sort((a, b) => a - b));
  await screenshot(page, 'queue-front-block');

  await page.click('[data-testid=clear-front]');
  await block.waitFor({ state: 'detached' });
  assert.equal((await call<QueuePage>(backend, 'getQueue', { limit: 1 })).front, 0);
  assert.equal(await page.locator('[data-testid=queue-row][data-front=true]').count(), 0);

  await page.check('[data-testid=show-labeled]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=labeled-row]').length === 2);
  const angles = await page.locator('[data-testid=labeled-angle]').allInnerTexts();
  assert.deepEqual(angles.sort(), ['200.0°', '30.0°'].sort());
  await page.close();
});
