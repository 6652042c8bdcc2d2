import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EvaluationSummary, PredictionInfo } from '../../src/shared/domain';
import { strategyNames } from '../../src/shared/strategy-names';
import { clearLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';
import { startBackend, type TestBackend } from '../helpers/backend';
import { tempDir } from '../helpers/temp';
import { generatedProject } from '../unit/evaluation-fixture';
import { call, openApp, screenshot } from './support/app-page';

let backend: TestBackend;
const dir = tempDir();
let unlabeledId = 0;

before(async () => {
  const { file } = await generatedProject(dir, 'ui');
  // A few samples left unlabeled, for "train on my labels" to predict.
  const project = Project.open(file);
  const ids = project.db.prepare('SELECT id FROM samples ORDER BY id LIMIT 4').pluck().all() as number[];
  for (const id of ids) clearLabel(project.db, 'tester', id);
  unlabeledId = ids[0]!;
  project.close();
  backend = await startBackend(file);
});
after(() => backend?.close());

test('the evaluation view runs an evaluation with progress, draws the curves with bands, and names the best strategy', async () => {
  const page = await openApp(backend, '#/evaluation');
  await page.locator('[data-testid=start-evaluation]').waitFor();
  await page.fill('input[name=budgets]', '10, 20, 9999');
  await page.fill('input[name=repeats]', '2');
  await page.fill('input[name=steps]', '3');
  await page.fill('input[name=epochs]', '0');
  await page.selectOption('select[name=group-column]', 'object_type');
  await page.selectOption('select[name=split-column]', 'item');
  // Half for testing: the split keeps the small demo's pose groups in the pool, so a fifth of the other rows would
  // hold only a few images, one per kind, where the balanced error equals the plain one.
  await page.fill('input[name=test-fraction]', '0.5');
  // A budget the training pool cannot fill is refused before any work, with the reason.
  await page.click('[data-testid=start-evaluation]');
  await page.locator('[data-testid=error]', { hasText: /budget 9999 exceeds the training pool: \d+ labeled, embedded samples less the 50% test split leave \d+ to train on/ }).waitFor();
  assert.equal((await call<EvaluationSummary[]>(backend, 'listEvaluations')).length, 0);
  await page.fill('input[name=budgets]', '10, 20');
  await page.click('[data-testid=start-evaluation]');
  await page.locator('[data-testid=evaluation-progress] progress').waitFor();
  await page.locator('[data-testid=evaluation-state]', { hasText: 'done' }).waitFor({ timeout: 180_000 });

  await page.locator('[data-testid=best-strategy]').waitFor();
  await page.getByText(/groups kept whole: column 'item'/).waitFor();
  assert.equal((await call<EvaluationSummary[]>(backend, 'listEvaluations')).length, 1);
  assert.match(await page.locator('[data-testid=best-strategy]').innerText(), /^(fps|random|typiclust|fps-dense|probcover|auto)$/);
  for (const s of strategyNames) {
    const d = await page.locator(`[data-testid=line-${s}]`).getAttribute('d');
    assert.match(d ?? '', /^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/, `${s}: a line through the two evaluated budgets`);
    assert.ok((await page.locator(`[data-testid=band-${s}]`).getAttribute('d'))!.length > 10, `${s}: a ±1 sd band`);
  }
  assert.equal(await page.locator('[data-testid=labels-saved] li').count(), strategyNames.length - 1, 'labels saved in words for each strategy against random');
  // The chance line: a random guess scores 90° on a full circle.
  await page.locator('[data-testid=chance-line]').waitFor({ state: 'attached' });
  assert.match(await page.locator('[data-testid=learning-curves]').innerText(), /chance 90°/);
  assert.match(await page.locator('[data-testid=evaluation-table]').innerText(), /±/, 'two repeats measure a spread');
  await screenshot(page, 'evaluation');

  // Balanced error and a linear axis redraw the same run.
  const plainLine = await page.locator('[data-testid=line-fps]').getAttribute('d');
  await page.check('input[name=metric][value=balanced]');
  await page.uncheck('input[name=log-x]');
  await page.waitForFunction((before) => document.querySelector('[data-testid=line-fps]')?.getAttribute('d') !== before, plainLine);
  assert.match(await page.locator('[data-testid=evaluation-summary]').innerText(), /balanced error/);

  const runs = await call<EvaluationSummary[]>(backend, 'listEvaluations');
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0]!.budgets, [10, 20]);
  assert.equal(await page.locator('[data-testid=evaluation-runs] li').count(), 1);
  await page.close();
});

test('"train on my labels" stores a predicted angle for each unlabeled sample, served as the annotation suggestion', async () => {
  assert.equal(await call<PredictionInfo | null>(backend, 'getPrediction', { sampleId: unlabeledId }), null);
  const page = await openApp(backend, '#/evaluation');
  await page.fill('input[name=predict-steps]', '10');
  await page.click('[data-testid=train-on-labels]');
  await page.locator('[data-testid=predict-result], .train-on-labels .problem').first().waitFor({ timeout: 180_000 });
  assert.match(await page.locator('[data-testid=predict-result]').innerText(), /suggestions for 4 unlabeled samples/);
  const prediction = await call<PredictionInfo | null>(backend, 'getPrediction', { sampleId: unlabeledId });
  assert.ok(prediction, 'an unlabeled sample has a prediction');
  assert.ok(prediction.angle >= 0 && prediction.angle < 360);
  const bad = await backend.call('getPrediction', { sampleId: -1 });
  assert.equal(bad.status, 400);
  await page.close();
});
