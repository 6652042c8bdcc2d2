import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, test } from 'node:test';
import type { AnnotationRecord, DuplicateReport, SampleInfo } from '../../src/shared/domain';
import { startBackend, type TestBackend } from '../helpers/backend';
import { plantedProject } from '../helpers/duplicates-fixture';
import { eventually } from '../helpers/eventually';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';

/** Every sample's status and current label with its provenance: what an undo must give back exactly. */
async function projectState(backend: TestBackend) {
  const { samples } = await call<{ samples: SampleInfo[] }>(backend, 'listSamples', { limit: 1000 });
  return Promise.all(
    samples.map(async (s) => {
      const last = (await call<AnnotationRecord[]>(backend, 'annotationHistory', { sampleId: s.id })).at(-1);
      const label = last && last.angle !== null ? { angle: last.angle, source: last.source, author: last.author, propagatedFrom: last.propagatedFrom, modelId: last.modelId } : null;
      return { id: s.id, status: s.status, angle: s.angle, angleSource: s.angleSource, label };
    }),
  );
}

type State = Awaited<ReturnType<typeof projectState>>;

/** Waits until the project is in `want` (the UI's writes land after the click); fails naming the first sample that differs. */
async function stateBecomes(backend: TestBackend, want: State, what: string): Promise<void> {
  await eventually(what, async () => (isDeepStrictEqual(await projectState(backend), want) ? true : undefined)).catch(async (err: unknown) => {
    const now = await projectState(backend);
    const differs = now.find((s, i) => !isDeepStrictEqual(s, want[i]));
    throw new Error(`${(err as Error).message}; first difference: ${JSON.stringify(differs)} wanted ${JSON.stringify(want.find((w) => w.id === differs?.id))}`);
  });
}

test('propagate, keep-one and clearing in Duplicates are undone to exactly the state before and redone, from Duplicates and from Annotate', async () => {
  const planted = await plantedProject(tempDir(), { distinct: 12, groups: 1 });
  const backend = await startBackend(planted.projectPath);
  after(() => backend.close());
  await call(backend, 'buildNeighbourGraph', { k: 10 }).then((job) => backend.session.jobs.waitFor((job as { id: string }).id));
  const report = await call<DuplicateReport>(backend, 'duplicateClusters');
  const group = report.clusters.find((c) => c.members.some((m) => m.path === planted.groups[0]![0]))!;
  const [from, hand, setAside, ...rest] = group.members.map((m) => m.id) as [number, number, number, ...number[]];
  assert.ok(rest.length >= 1, 'a member left to propagate to');
  // Before: the label to copy, a hand label propagation must leave alone, a member excluded already (keep-one leaves it excluded).
  await call(backend, 'saveLabel', { sampleId: from, angle: 30 });
  await call(backend, 'saveLabel', { sampleId: hand, angle: 32 });
  await call(backend, 'setSampleStatus', { sampleIds: [setAside], status: 'excluded' });
  const before = await projectState(backend);

  const page = await openApp(backend, '#/duplicates');
  const card = page.locator(`[data-testid=duplicate-cluster][data-cluster-key="${group.key}"]`);
  await card.locator(`[data-sample-id="${from}"] button.thumb`).click();
  await card.locator('[data-testid=propagate]', { hasText: `Apply #${from}'s label (30°)` }).click();
  await page.locator('[data-testid=duplicates-notice]', { hasText: `Applied 30.0° from #${from} to ${rest.length + 1} samples` }).waitFor();
  const propagated = await projectState(backend);
  assert.equal(propagated.filter((s) => s.angleSource === 'propagated').length, rest.length + 1, 'the excluded member is labeled too, the hand label is not');
  await card.locator('[data-testid=keep-one]').click();
  await page.locator('[data-testid=duplicates-notice]', { hasText: `Kept #${from}; excluded ${rest.length + 1} near-duplicates` }).waitFor();
  const kept = await projectState(backend);
  assert.deepEqual(kept.filter((s) => s.status === 'excluded').map((s) => s.id).sort((a, b) => a - b), [hand, setAside, ...rest].sort((a, b) => a - b));

  // Undo by the button, then by Ctrl+Z: back to exactly the state before both.
  await page.click('[data-testid=history-undo]');
  await page.locator('[data-testid=duplicates-notice]', { hasText: `Undid: kept #${from}, excluded ${rest.length + 1} near-duplicates` }).waitFor();
  await stateBecomes(backend, propagated, 'keep-one undone');
  await page.keyboard.press('Control+z');
  await page.locator('[data-testid=duplicates-notice]', { hasText: `Undid: propagated #${from}'s 30.0° to ${rest.length + 1} samples` }).waitFor();
  await stateBecomes(backend, before, 'the propagation undone');
  await page.waitForFunction((key) => !document.querySelector(`[data-cluster-key="${key}"]`)?.textContent?.includes('(propagated)'), group.key);
  assert.equal(await page.isDisabled('[data-testid=history-undo]'), true, 'nothing older in this history');

  // Redo by Shift+Backspace and by the button.
  await page.keyboard.press('Shift+Backspace');
  await stateBecomes(backend, propagated, 'the propagation redone');
  await page.click('[data-testid=history-redo]');
  await stateBecomes(backend, kept, 'keep-one redone');
  assert.equal(await page.isDisabled('[data-testid=history-redo]'), true);
  await screenshot(page, 'duplicates-undo');

  // Annotate shares the history: its strip lists both, and Backspace there undoes the keep-one.
  await page.evaluate(() => (location.hash = '#/annotate'));
  const strip = page.locator('[data-testid=recent-decisions]');
  await strip.locator('[data-kind=keep-one]', { hasText: `kept #${from}` }).waitFor();
  assert.deepEqual(await strip.locator('button').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.kind)), ['keep-one', 'propagate']);
  await page.locator('[data-testid=annotate-image]').waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Backspace');
  await page.locator('[data-testid=last-action]', { hasText: `undid: kept #${from}` }).waitFor();
  await stateBecomes(backend, propagated, 'keep-one undone from Annotate');
  await page.keyboard.press('Backspace');
  await stateBecomes(backend, before, 'the propagation undone from Annotate');
  await page.keyboard.press('Shift+Backspace');
  await stateBecomes(backend, propagated, 'the propagation redone from Annotate');

  // Clearing the propagated labels in Duplicates is undone the same way.
  await page.evaluate(() => (location.hash = '#/duplicates'));
  await card.locator('[data-testid=clear-propagated]', { hasText: `Clear ${rest.length + 1} propagated labels` }).click();
  await stateBecomes(backend, before, 'the propagated labels cleared');
  await page.click('[data-testid=history-undo]');
  await page.locator('[data-testid=duplicates-notice]', { hasText: `Undid: cleared ${rest.length + 1} propagated labels` }).waitFor();
  await stateBecomes(backend, propagated, 'the clearing undone');
  await page.close();
});
