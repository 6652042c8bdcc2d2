import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { CurvePoint, EvaluationRecord, JobInfo, StrategyName } from '../../src/shared/domain';
import { formatEvaluation } from '../../src/main/doors/cli/evaluation-report';
import { budgetsAbovePool, chanceError, expectedPool } from '../../src/shared/evaluation-wording';
import { startBackend, type TestBackend } from '../helpers/backend';
import { plantedProject } from '../helpers/duplicates-fixture';
import { tempDir } from '../helpers/temp';

function point(budget: number, mean: number, sd: number, repeats: number): CurvePoint {
  const run = { plain: mean, balanced: mean, median: mean, within5: 0, within10: 0.05 };
  return {
    budget,
    skipped: false,
    plain: { mean, sd },
    balanced: { mean, sd },
    median: mean,
    within5: 0,
    within10: 0.05,
    runs: Array.from({ length: repeats }, (_, repeat) => ({ repeat, ...run })),
  };
}

/** A stored run as the evaluation job writes it, with the figures of the issue: errors of 81–102° from one repeat. */
function record(repeats: number, errors: Record<StrategyName, [number, number]>): EvaluationRecord {
  const strategies = Object.keys(errors) as StrategyName[];
  return {
    id: 7,
    createdAt: '2026-01-01T00:00:00.000Z',
    settings: {
      strategies, budgets: [10, 40], repeats, testFraction: 0.2, split: 'random', seed: 1, groupColumn: null, splitColumn: null, groups: 4,
      duplicateThreshold: null, denseQuantile: 0.2, inputSize: 32, steps: 10, epochs: 0, batchSize: 32, learningRate: 2e-3,
    },
    results: {
      data: { labeled: 60, usable: 60, test: 12, pool: 48, split: 'random', duplicateClusters: null, largestDuplicateCluster: null, duplicateThreshold: null, groupsFrom: 'k-means', testGroups: 4, embeddingModelId: 1 },
      curves: strategies.map((strategy) => ({ strategy, points: [point(10, errors[strategy][0], 0, repeats), point(40, errors[strategy][1], 0, repeats)] })),
      largestBudget: 40,
      labelsSaved: [{ strategy: 'fps', metric: 'plain', target: 90, reachedAt: 10, saved: 30 }],
      best: { plain: 'fps', balanced: 'fps' },
      backend: 'cpu',
      seconds: 1,
    },
  };
}

test('one repeat: no ± and no labels-saved claim; errors near chance get a warning; the chance error is named', () => {
  const text = formatEvaluation(record(1, { fps: [84, 81], random: [102, 93] } as Record<StrategyName, [number, number]>), 'full');
  assert.doesNotMatch(text, /±/);
  assert.doesNotMatch(text, /30 saved|labels saved \(/);
  assert.match(text, /labels saved: not claimed from a single repeat/);
  assert.match(text, /chance \(a random guess\) scores 90° \(full circle\)/);
  assert.match(text, /warning: every error is near chance \(lowest 81\.0°; a random guess scores 90°\)/);
});

test('with repeats and errors well below chance: mean ± sd, labels saved, and no warning; axial chance is 45°', () => {
  const text = formatEvaluation(record(3, { fps: [30, 12], random: [40, 20] } as Record<StrategyName, [number, number]>), 'axial');
  assert.match(text, /± 0\.0/);
  assert.match(text, /fps reaches random's plain error at 40 labels \(90\.0°\) with 10 labels: 30 saved/);
  assert.doesNotMatch(text, /warning/);
  assert.match(text, /scores 45° \(axial\)/);
  assert.equal(chanceError('axial'), 45);
  assert.equal(chanceError('full'), 90);
});

test('the expected pool follows the split rounding, and a budget above it is refused with the numbers', () => {
  assert.equal(expectedPool(60, 0.2), 48);
  assert.equal(expectedPool(2, 0.5), 1);
  assert.equal(budgetsAbovePool([10, 48], 60, 0.2), null);
  assert.equal(
    budgetsAbovePool([10, 49, 400], 60, 0.2),
    'budgets 49, 400 exceed the training pool: 60 labeled, embedded samples less the 20% test split leave 48 to train on; use budgets up to 48, or label more samples',
  );
});

const dir = tempDir();
let backend: TestBackend | null = null;
after(() => backend?.close());

test('startEvaluation refuses budgets above the pool before starting a job, naming them and the pool', async () => {
  const planted = await plantedProject(dir, { distinct: 10, groups: 0 });
  backend = await startBackend(planted.projectPath);
  const ids = backend.session.project.db.prepare('SELECT sample_id FROM embeddings ORDER BY sample_id LIMIT 10').pluck().all() as number[];
  for (const [k, id] of ids.entries()) await backend.call('saveLabel', { sampleId: id, angle: 36 * k });
  const refused = await backend.call('startEvaluation', { budgets: [4, 9], repeats: 2 });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error!, /budget 9 exceeds the training pool: 10 labeled, embedded samples less the 20% test split leave 8 to train on/);
  assert.equal(backend.session.jobs.list().filter((j) => j.kind === 'evaluate').length, 0, 'no job was started');
  const started = await backend.call('startEvaluation', { budgets: [4, 8], repeats: 2, steps: 1, epochs: 0, inputSize: 8 });
  assert.equal(started.status, 200, started.body.error);
  const job = started.body.result as JobInfo;
  await backend.call('cancelJob', { id: job.id });
  await backend.session.jobs.waitFor(job.id).catch(() => undefined);
});
