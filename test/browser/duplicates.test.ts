import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DuplicateReport, SampleInfo } from '../../src/shared/domain';
import { startBackend } from '../helpers/backend';
import { plantedProject } from '../helpers/duplicates-fixture';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';

const dir = tempDir();

test('the Duplicates view finds planted near-duplicates and reviews them in bulk: keep one, undo, propagate and clear a label, move the threshold', async () => {
  const planted = await plantedProject(dir, { distinct: 12, groups: 2 });
  const backend = await startBackend(planted.projectPath);
  after(() => backend.close());
  const page = await openApp(backend, '#/duplicates');

  await page.locator('[data-testid=graph-state]', { hasText: 'No neighbour graph yet' }).waitFor();
  await page.click('[data-testid=build-graph]');
  await page.locator('[data-testid=graph-state]', { hasText: 'exact search' }).waitFor();
  const clusters = page.locator('[data-testid=duplicate-cluster]');
  await clusters.nth(2).waitFor();
  assert.equal(await clusters.count(), 3, 'two planted groups and the byte-identical pair');
  assert.match(await page.locator('[data-testid=duplicate-summary]').innerText(), /3 clusters holding 10 samples; keeping one per cluster sets aside 7/);
  // The threshold is drawn on the histogram, right of the bars of the planted pairs (shaded as below it).
  const line = page.locator('[data-testid=threshold-line]');
  await line.waitFor({ state: 'attached' });
  assert.ok(Number(await line.getAttribute('x1')) > 44, 'the threshold line lies inside the plot');
  assert.ok((await page.locator('[data-testid=nn-histogram] rect.below').count()) >= 1);
  // Every thumbnail in the grids decoded.
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid=duplicate-cluster] img')].every((i) => i.complete && i.naturalWidth > 0));
  await screenshot(page, 'duplicates');

  const report = await call<DuplicateReport>(backend, 'duplicateClusters');
  const group = report.clusters.find((c) => c.members.some((m) => m.path === planted.groups[0]![0]))!;
  const card = page.locator(`[data-testid=duplicate-cluster][data-cluster-key="${group.key}"]`);
  const keep = group.members.find((m) => m.id !== group.representativeId)!.id;

  // Pick another member than the representative, then keep it and exclude the rest in one action.
  await card.locator(`[data-sample-id="${keep}"] button.thumb`).click();
  await card.locator('[data-testid=keep-one]', { hasText: `Keep #${keep}, exclude 3 others` }).click();
  await card.locator('[data-testid=cluster-member][data-status=excluded]').nth(2).waitFor();
  const excluded = await call<{ samples: SampleInfo[] }>(backend, 'listSamples', { status: 'excluded', limit: 100 });
  assert.deepEqual(excluded.samples.map((s) => s.id).sort((a, b) => a - b), group.members.map((m) => m.id).filter((id) => id !== keep).sort((a, b) => a - b));
  await page.click('[data-testid=history-undo]');
  await page.waitForFunction((key) => document.querySelectorAll(`[data-cluster-key="${key}"] [data-status=excluded]`).length === 0, group.key);
  assert.equal((await call<{ total: number }>(backend, 'listSamples', { status: 'excluded' })).total, 0);

  // Label one member by hand, then apply its label to the whole cluster and take it back.
  await call(backend, 'saveLabel', { sampleId: keep, angle: 45 });
  await card.locator(`[data-sample-id="${keep}"] [data-testid=member-label]`, { hasText: '45°' }).waitFor();
  await card.locator('[data-testid=propagate]', { hasText: `Apply #${keep}'s label (45°)` }).click();
  await card.locator('[data-testid=member-label]', { hasText: '45° (propagated)' }).nth(2).waitFor();
  assert.match(await page.locator('[data-testid=duplicates-notice]').innerText(), /Applied 45.0° from #\d+ to 3 samples \(propagated\)/);
  await card.locator('[data-testid=clear-propagated]', { hasText: 'Clear 3 propagated labels' }).click();
  await page.waitForFunction((key) => [...document.querySelectorAll(`[data-cluster-key="${key}"] [data-testid=member-label]`)].filter((e) => e.textContent?.includes('unlabeled')).length === 3, group.key);
  assert.match(await card.locator(`[data-sample-id="${keep}"] [data-testid=member-label]`).innerText(), /^45°$/);

  // A tiny threshold leaves only the byte-identical pair; it is saved for the next visit.
  await page.fill('[data-testid=threshold-input]', '0.0001');
  await page.press('[data-testid=threshold-input]', 'Enter');
  await page.locator('[data-testid=duplicate-summary]', { hasText: '1 cluster holding 2 samples' }).waitFor();
  let saved = await call<DuplicateReport>(backend, 'duplicateClusters');
  // The save is its own request after the recount; wait for it rather than for a fixed time.
  for (let tries = 0; saved.thresholdSource !== 'saved' && tries < 200; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    saved = await call<DuplicateReport>(backend, 'duplicateClusters');
  }
  assert.equal(saved.thresholdSource, 'saved');
  assert.equal(saved.threshold, 0.0001);

  // "Show on map" opens the latent map with the cluster handed over.
  const shown = (await call<DuplicateReport>(backend, 'duplicateClusters')).clusters[0]!;
  await page.locator('[data-testid=show-on-map]').first().click();
  await page.waitForFunction(() => location.hash === '#/map');
  await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid=scatter-canvas]')?.dataset.draws ?? 0) > 0);
  // The map draws the cluster's members in the highlight colour, on top, and names it in the legend.
  await page.waitForFunction(() => (window.farpointAutomation?.mapHighlight?.().drawnIds.length ?? 0) > 0);
  const highlight = await page.evaluate(() => window.farpointAutomation!.mapHighlight!());
  // Members without an embedding (the fixture's unembedded same-hash copy) have no point to draw.
  const embedded = new Set((await call<{ ids: number[] }>(backend, 'getLatentMap')).ids);
  const memberIds = shown.members.map((m) => m.id).filter((id) => embedded.has(id)).sort((a, b) => a - b);
  assert.ok(memberIds.length > 0);
  assert.deepEqual([...highlight.drawnIds].sort((a, b) => a - b), memberIds);
  assert.match(highlight.label ?? '', new RegExp(`${shown.size} samples`));
  assert.match(await page.locator('[data-testid=map-highlight]').innerText(), new RegExp(`cluster of #${shown.representativeId}`));
  const at = (await page.evaluate((id) => window.farpointAutomation!.mapPointOf!(id), memberIds[0]!))!;
  assert.ok(at, 'the highlighted member is drawn inside the plot');
  const pixel = await page.locator('[data-testid=scatter-canvas]').evaluate((c: HTMLCanvasElement, p) => {
    const r = c.getBoundingClientRect();
    const x = Math.round(((p.x - r.left) * c.width) / r.width);
    const y = Math.round(((p.y - r.top) * c.height) / r.height);
    return Array.from(c.getContext('2d')!.getImageData(x, y, 1, 1).data.slice(0, 3));
  }, at);
  assert.deepEqual(pixel, [0x00, 0x9e, 0x73], 'the highlighted point is drawn in the highlight colour (Okabe–Ito bluish green)');
  await screenshot(page, 'map-highlight');
  await page.click('[data-testid=clear-highlight]');
  await page.locator('[data-testid=map-highlight]').waitFor({ state: 'detached' });
  assert.deepEqual((await page.evaluate(() => window.farpointAutomation!.mapHighlight!())).drawnIds, []);
});

test('propagating a cluster label shows the angle spread and asks to confirm above the limit the user sets', async () => {
  const planted = await plantedProject(tempDir(), { distinct: 12, groups: 1 });
  const backend = await startBackend(planted.projectPath);
  after(() => backend.close());
  await call(backend, 'buildNeighbourGraph', { k: 10 }).then((job) => backend.session.jobs.waitFor((job as { id: string }).id));
  const report = await call<DuplicateReport>(backend, 'duplicateClusters');
  const group = report.clusters.find((c) => c.members.some((m) => m.path === planted.groups[0]![0]))!;
  const [from, other] = group.members.map((m) => m.id) as [number, number];
  await call(backend, 'saveLabel', { sampleId: from, angle: 10 });
  await call(backend, 'saveLabel', { sampleId: other, angle: 18 });
  const unlabeled = group.members.length - 2;

  const page = await openApp(backend, '#/duplicates');
  const card = page.locator(`[data-testid=duplicate-cluster][data-cluster-key="${group.key}"]`);
  await card.locator(`[data-sample-id="${from}"] button.thumb`).click();
  await card.locator('[data-testid=angle-spread]', { hasText: 'angle spread 8.0° over 1 member' }).waitFor();
  assert.equal(await page.inputValue('[data-testid=spread-limit]'), '5', 'the limit is on screen');

  // Above the limit: a confirmation, and Cancel stores nothing.
  await card.locator('[data-testid=propagate]').click();
  const confirm = card.locator('[data-testid=propagate-confirm]');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /spread 8\.0° from #\d+'s 10\.0°, above your 5° limit/);
  await confirm.locator('[data-testid=propagate-cancel]').click();
  await confirm.waitFor({ state: 'detached' });
  const unchanged = await call<DuplicateReport>(backend, 'duplicateClusters');
  assert.equal(unchanged.clusters.find((c) => c.key === group.key)!.members.filter((m) => m.angleSource === 'propagated').length, 0);

  // Confirmed: propagated.
  await card.locator('[data-testid=propagate]').click();
  await confirm.locator('[data-testid=propagate-anyway]').click();
  await card.locator('[data-testid=member-label]', { hasText: '(propagated)' }).nth(unlabeled - 1).waitFor();
  assert.match(await page.locator('[data-testid=duplicates-notice]').innerText(), /angle spread 8\.0°/);
  await card.locator('[data-testid=clear-propagated]').click();
  await page.waitForFunction((key) => !document.querySelector(`[data-cluster-key="${key}"]`)?.textContent?.includes('(propagated)'), group.key);

  // A limit above the spread: no question asked.
  await page.fill('[data-testid=spread-limit]', '10');
  await page.press('[data-testid=spread-limit]', 'Enter');
  await card.locator('[data-testid=propagate]').click();
  await card.locator('[data-testid=member-label]', { hasText: '(propagated)' }).nth(unlabeled - 1).waitFor();
  assert.equal(await confirm.count(), 0);
  await page.close();
});
