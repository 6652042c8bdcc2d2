import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { MAP_EXCLUDED, type AnnotationRecord, type CoverageCurve, type ProjectStatus, type QueuePage, type SampleInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { eventually } from '../helpers/eventually';
import { call, openApp, screenshot } from './support/app-page';
import { makeDemoProject, trainSmallModel } from './support/demo-project';

let backend: TestBackend;
const dir = tempDir();

before(async () => {
  const { projectPath } = await makeDemoProject(dir);
  backend = await startBackend(projectPath);
  await trainSmallModel(backend);
});
after(() => backend?.close());

async function rowIds(page: Page, count: number): Promise<number[]> {
  await page.locator(`[data-testid=queue-row][data-rank="${count}"]`).waitFor();
  return page.$$eval('[data-testid=queue-row][data-sample-id]', (rows) =>
    rows.map((r) => ({ rank: Number((r as HTMLElement).dataset.rank), id: Number((r as HTMLElement).dataset.sampleId) })).sort((a, b) => a.rank - b.rank).map((r) => r.id),
  ).then((ids) => ids.slice(0, count));
}

test('the queue lists thumbnails in FPS order and the strategy switch changes the order', async () => {
  const page = await openApp(backend, '#/queue');
  const fps = await call<QueuePage>(backend, 'getQueue', { strategy: 'fps', limit: 10 });
  assert.equal(fps.strategy, 'fps');
  assert.deepEqual(await rowIds(page, 10), fps.entries.map((e) => e.sampleId));
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('[data-testid=queue-row] img')].slice(0, 10).every((i) => i.complete && i.naturalWidth > 0),
  );
  // Novelty falls along an FPS queue: each pick is at most as far from the rest as the one before.
  const novelty = fps.entries.map((e) => e.novelty).filter((n): n is number => n !== null);
  for (let i = 1; i < novelty.length; i++) assert.ok(novelty[i]! <= novelty[i - 1]! + 1e-9);
  await screenshot(page, 'queue');

  await page.check('[data-testid=strategy] input[value=random]');
  const random = await call<QueuePage>(backend, 'getQueue', { strategy: 'random', limit: 10 });
  await page.waitForFunction(
    (first) => document.querySelector<HTMLElement>('[data-testid=queue-row][data-rank="1"]')?.dataset.sampleId === String(first),
    random.entries[0]!.sampleId,
  );
  assert.equal((await call<ProjectStatus>(backend, 'getStatus')).settings.strategy, 'random');
  assert.deepEqual(await rowIds(page, 10), random.entries.map((e) => e.sampleId));
  await page.check('[data-testid=strategy] input[value=fps]');
  await page.waitForFunction(
    (first) => document.querySelector<HTMLElement>('[data-testid=queue-row][data-rank="1"]')?.dataset.sampleId === String(first),
    fps.entries[0]!.sampleId,
  );
  // One sentence says why novelty is the default, and its link opens the Evaluation view.
  assert.match((await page.textContent('[data-testid=strategy-why]')) ?? '', /New projects start with novelty.*below random's at every budget from 50 to 400 labels/s);
  await page.click('[data-testid=strategy-why-evaluation]');
  await page.waitForFunction(() => location.hash.startsWith('#/evaluation'));
  await page.close();
});

test('the annotation tool follows the queue, stores the rank and strategy, and S skips', async () => {
  const head = await call<QueuePage>(backend, 'getQueue', { strategy: 'fps', limit: 3 });
  const [first, second] = head.entries;
  const page = await openApp(backend, '#/annotate');
  await page.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid=annotate-image]')?.dataset.sampleId === String(id), first!.sampleId);
  await page.locator('[data-testid=viewport]').focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid=annotate-image]')?.dataset.sampleId === String(id), second!.sampleId);
  // The tool shows the next image before the save lands (the write follows behind it): wait for the back end to have it.
  const history = await eventually('the save to reach the back end', async () => {
    const records = await call<AnnotationRecord[]>(backend, 'annotationHistory', { sampleId: first!.sampleId });
    return records.length > 0 ? records : undefined;
  });
  assert.equal(history.at(-1)?.angle, 10);
  assert.equal(history.at(-1)?.queueRank, 1);
  assert.equal(history.at(-1)?.strategy, 'fps');

  // S: the sample stays unlabeled and moves to the end of the queue.
  await page.keyboard.press('s');
  await page.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid=annotate-image]')?.dataset.sampleId !== String(id), second!.sampleId);
  // The tool shows the next image before the skip request lands: wait for the back end to have it.
  const queue = await eventually('the skip to reach the queue', async () => {
    const page = await call<QueuePage>(backend, 'getQueue', { strategy: 'fps', limit: 5000 });
    return page.entries.find((e) => e.sampleId === second!.sampleId)?.skipped ? page : undefined;
  });
  assert.equal(queue.entries.at(-1)?.sampleId, second!.sampleId);
  assert.equal((await call<SampleInfo>(backend, 'getSample', { id: second!.sampleId })).angle, null);
  const coverage = await call<CoverageCurve>(backend, 'getCoverage');
  assert.equal(coverage.points.length, 1);
  await page.close();

  const queuePage = await openApp(backend, '#/queue');
  await queuePage.waitForFunction(() => (document.querySelector('[data-testid=coverage-spent]')?.getAttribute('d') ?? '').length > 2);
  await queuePage.locator('[data-testid=queue-row]').first().waitFor();
  await screenshot(queuePage, 'queue-after-label');
  await queuePage.close();
});

test('the map draws every embedded sample; hover shows the thumbnail, click opens the tool, lasso excludes', async () => {
  const page = await openApp(backend, '#/map');
  const status = await call<ProjectStatus>(backend, 'getStatus');
  const canvas = page.locator('[data-testid=scatter-canvas]');
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0) > 0);
  assert.match(await page.locator('figure.scatter').innerText(), /PC1 \(\d+\.\d% of variance\)/);
  // Points are drawn: the canvas holds pixels of the point colours, not only background.
  const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] !== 255 || px[i + 1] !== 255 || px[i + 2] !== 255) n++;
    return n;
  });
  assert.ok(inked > status.embedded * 4, `only ${inked} pixels drawn for ${status.embedded} points`);

  const map = await call<{ ids: number[] }>(backend, 'getLatentMap');
  // A sample whose point no other point covers (the hover picks the nearest).
  const target = map.ids[Math.floor(map.ids.length / 2)]!;
  const at = await page.evaluate((id) => window.farpointAutomation!.mapPointOf!(id), target);
  assert.ok(at, 'the sample is drawn inside the plot');
  await page.mouse.move(at.x, at.y);
  const tip = page.locator('[data-testid=map-tooltip]');
  await tip.waitFor();
  const hoveredId = Number(await tip.getAttribute('data-sample-id'));
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid=map-tooltip] img');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  await screenshot(page, 'map');

  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((id) => location.hash === `#/annotate/${id}`, hoveredId);
  await page.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid=annotate-image]')?.dataset.sampleId === String(id), hoveredId);

  // Lasso around the whole plot, then exclude: the back end marks them excluded.
  await page.goto(page.url().replace(/#.*$/, '#/map'));
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0) > 0);
  await page.check('[data-testid=lasso-tool]');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.mouse.down();
  for (const [fx, fy] of [[0.5, 0.01], [0.995, 0.01], [0.995, 0.995], [0.01, 0.995], [0.01, 0.02]] as const) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 3 });
  }
  await page.mouse.up();
  const bar = page.locator('[data-testid=lasso-bar]');
  await bar.waitFor();
  const before = await call<ProjectStatus>(backend, 'getStatus');
  const selected = Number((await bar.locator('strong').innerText()).replace(/\D/g, ''));
  assert.ok(selected > 0 && selected <= status.embedded);
  await screenshot(page, 'map-lasso');
  await page.click('[data-testid=exclude-selection]');
  await bar.waitFor({ state: 'detached' });
  const afterStatus = await call<ProjectStatus>(backend, 'getStatus');
  assert.equal(afterStatus.excluded, before.excluded + selected);
  // Excluded samples stay on the map in their own colour, counted in the legend.
  // JSON clients get the map's typed arrays as plain arrays.
  const onMap = (await call<{ ids: number[]; status: number[] }>(backend, 'getLatentMap')).status.filter((s) => s === MAP_EXCLUDED).length;
  assert.ok(onMap >= selected, `${onMap} excluded points on the map, ${selected} just excluded`);
  const legendLine = async () => (await page.locator('[aria-label=Legend] li', { hasText: /^\s*excluded/ }).allInnerTexts()).join('|');
  for (let tries = 0; !(await legendLine()).replace(/\D/g, '').startsWith(String(onMap)) && tries < 100; tries++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await legendLine()).replace(/\D/g, ''), String(onMap), `legend: ${await legendLine()}`);
  await screenshot(page, 'map-excluded');
  await page.close();
});

test('selection order mode shows FPS and random side by side', async () => {
  const excluded = await call<{ samples: SampleInfo[] }>(backend, 'listSamples', { status: 'excluded', limit: 5000 });
  await call(backend, 'setSampleStatus', { sampleIds: excluded.samples.map((s) => s.id), status: 'active' });
  const page = await openApp(backend, '#/map');
  await page.check('[data-testid=map-mode] input[value=order]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=scatter-canvas]').length === 2);
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid=scatter-canvas]')].every((c) => Number(c.dataset.draws ?? 0) > 0),
  );
  assert.match(await page.locator('.panels').innerText(), /Furthest point \(FPS\)[\s\S]*Random/);
  await screenshot(page, 'map-order');
  await page.close();
});
