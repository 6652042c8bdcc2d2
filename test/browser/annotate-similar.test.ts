import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { AnnotationRecord, SampleInfo, SimilarLabeled } from '../../src/shared/domain';
import { startBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { call, openApp, screenshot } from './support/app-page';
import { nextShown, sampleWhen, shown } from './support/annotate-page';
import { makeDemoProject, trainSmallModel } from './support/demo-project';

test('the similar-images strip shows the 3 nearest labeled images with their angles; a click puts its angle on the dial and Enter saves it by hand', async () => {
  const { projectPath } = await makeDemoProject(tempDir());
  const backend = await startBackend(projectPath);
  after(() => backend.close());
  // The strip reads the current model's latent space: a small autoencoder trained on the demo, every sample embedded.
  await trainSmallModel(backend);
  const { samples } = await call<{ samples: SampleInfo[] }>(backend, 'listSamples', { limit: 100 });
  assert.ok(samples.length >= 10, `the demo project has ${samples.length} samples`);
  // Five labels with angles that tell them apart; the sample to label is one of the rest.
  const labels = new Map(samples.slice(0, 5).map((s, i) => [s.id, 20 + i * 61.5]));
  for (const [sampleId, angle] of labels) await call(backend, 'saveLabel', { sampleId, angle });
  const target = samples[7]!.id;
  const nearest = await call<SimilarLabeled[]>(backend, 'similarLabeled', { sampleId: target, limit: 3 });
  assert.equal(nearest.length, 3);
  for (const n of nearest) assert.equal(n.angle, labels.get(n.sampleId), `the answer carries #${n.sampleId}'s label`);

  const page = await openApp(backend, `#/annotate/${target}`);
  await shown(page, target);
  const strip = page.locator('[data-testid=similar-strip]');
  await strip.locator('button').nth(2).waitFor();
  const onScreen = await strip.locator('button').evaluateAll((buttons) =>
    buttons.map((b) => ({ id: Number((b as HTMLElement).dataset.sampleId), text: b.querySelector('.deg')?.textContent ?? '' })),
  );
  assert.deepEqual(
    onScreen.map((s) => [s.id, s.text]),
    nearest.map((n) => [n.sampleId, `${n.angle.toFixed(1)}°`]),
    'the same three, nearest first, with their angles',
  );
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid=similar-strip] img')].every((i) => i.complete && i.naturalWidth > 0));
  await screenshot(page, 'annotate-similar');

  // A click puts the second one's angle on the dial and in the box, as the user's own value (no suggestion badge).
  const picked = nearest[1]!;
  await strip.locator(`button[data-sample-id="${picked.sampleId}"]`).click();
  await page.waitForFunction((want) => document.querySelector('svg.dial')?.getAttribute('data-angle') === String(want), picked.angle);
  assert.equal(await page.inputValue('[data-testid=angle-input]'), picked.angle.toFixed(1));
  assert.equal(await page.locator('[data-testid=suggestion-badge]').count(), 0);
  assert.equal(await page.locator('[data-testid=annotate-sample]').innerText(), `#${target}`, 'the image on screen stays');

  // Enter saves it as a hand label (the click gave the keyboard back to the image).
  await page.keyboard.press('Enter');
  await nextShown(page, target);
  const saved = await sampleWhen(backend, target, (s) => s.angle !== null);
  assert.equal(saved.angle, picked.angle);
  assert.equal(saved.angleSource, 'hand');
  const entry = (await call<AnnotationRecord[]>(backend, 'annotationHistory', { sampleId: target })).at(-1)!;
  assert.equal(entry.source, 'hand');
  assert.equal(entry.action, 'set');
  await page.close();
});
