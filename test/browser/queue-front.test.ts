import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProjectStatus, QueuePage } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';
import { makeDemoProject, trainSmallModel } from './support/demo-project';
import { lassoRectangle } from './support/map-lasso';

let backend: TestBackend;
const dir = tempDir();

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
  await trainSmallModel(backend);
});
after(() => backend?.close());

test('map lasso: F moves the selected samples to the front of the queue, in FPS order among them', async () => {
  const page = await openApp(backend, '#/map');
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0) > 0);
  const before = await call<QueuePage>(backend, 'getQueue', { strategy: 'fps', limit: 5 });

  // Lasso the left third of the plot.
  await page.check('[data-testid=lasso-tool]');
  const { box, bar, selected } = await lassoRectangle(page, { x0: 0.01, x1: 0.33, y0: 0.01, y1: 0.99 });
  // Which samples the lasso holds: those drawn inside the lassoed rectangle.
  const map = await call<{ ids: number[] }>(backend, 'getLatentMap');
  const inside: number[] = [];
  for (const id of map.ids) {
    const at = await page.evaluate((sampleId) => window.farpointAutomation!.mapPointOf!(sampleId), id);
    if (at && at.x > box.x + box.width * 0.01 && at.x < box.x + box.width * 0.33 && at.y > box.y + box.height * 0.01 && at.y < box.y + box.height * 0.99) inside.push(id);
  }
  assert.ok(selected > 0 && selected < map.ids.length, `${selected} of ${map.ids.length} selected`);
  assert.equal(inside.length, selected);
  await screenshot(page, 'map-lasso-front');

  // The keyboard path: F, next to "Exclude from the pool".
  await page.keyboard.press('f');
  await bar.waitFor({ state: 'detached' });
  const queue = await call<QueuePage>(backend, 'getQueue', { strategy: 'fps', limit: selected + 5 });
  const head = queue.entries.slice(0, selected).map((e) => e.sampleId);
  assert.deepEqual([...head].sort((a, b) => a - b), [...inside].sort((a, b) => a - b), 'the lassoed samples head the queue');
  assert.notDeepEqual(head.slice(0, 5), before.entries.map((e) => e.sampleId));
  // FPS among them: novelty never rises along the front.
  const novelty = queue.entries.slice(0, selected).map((e) => e.novelty ?? Infinity);
  for (let i = 1; i < novelty.length; i++) assert.ok(novelty[i]! <= novelty[i - 1]! + 1e-9, `novelty rises at ${i}`);
  assert.equal((await call<ProjectStatus>(backend, 'getStatus')).excluded, 0, 'nothing was excluded');

  // The button does the same, and labeling the head takes it off the front.
  await call(backend, 'saveLabel', { sampleId: head[0], angle: 15, queueRank: 1, strategy: 'fps' });
  const next = await call<QueuePage>(backend, 'getQueue', { strategy: 'fps', limit: 1 });
  assert.equal(next.entries[0]!.sampleId, head[1]);
  await page.close();

  const queuePage = await openApp(backend, '#/queue');
  await queuePage.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid=queue-row][data-rank="1"]')?.dataset.sampleId === String(id), head[1]);
  await screenshot(queuePage, 'queue-front');
  await queuePage.close();
});

test('the lasso bar button moves to the front too', async () => {
  await call(backend, 'clearFront');
  const page = await openApp(backend, '#/map');
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0) > 0);
  await page.keyboard.press('l');
  const { box, bar, selected } = await lassoRectangle(page, { x0: 0.67, x1: 0.99, y0: 0.01, y1: 0.99 });
  await page.click('[data-testid=front-selection]');
  await bar.waitFor({ state: 'detached' });
  const queue = await call<QueuePage>(backend, 'getQueue', { strategy: 'random', limit: selected });
  for (const e of queue.entries) {
    const at = await page.evaluate((sampleId) => window.farpointAutomation!.mapPointOf!(sampleId), e.sampleId);
    assert.ok(at && at.x > box.x + box.width * 0.67, `sample ${e.sampleId} at the head is inside the lasso`);
  }
  await page.close();
});
