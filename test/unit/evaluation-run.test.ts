import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { EvaluationRecord } from '../../src/shared/domain';
import { evaluationSettingsSchema } from '../../src/shared/contract/evaluation-requests';
import { formatEvaluation } from '../../src/main/doors/cli/evaluation-report';
import { largestHeldOutGroup } from '../../src/main/core/evaluation/test-split';
import { makePoints } from '../../src/main/core/evaluation/points';
import { learningCurves } from '../../src/main/stages/evaluate/learning-curves';
import { listEvaluations } from '../../src/main/store/evaluation-store';
import { Project } from '../../src/main/store/project';
import { readSampleAttribute } from '../../src/main/store/sample-attributes';
import { runCli } from '../helpers/cli';
import { generatedProject } from './evaluation-fixture';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

test('`farpoint evaluate` on a small generated project stores curves with the promised shape and fields', async () => {
  const { file, images } = await generatedProject(dir, 'curves');
  const options = ['--strategies', 'fps,random,typiclust,fps-dense', '--repeats', '2', '--test-fraction', '0.25', '--group-column', 'object_type', '--input-size', '16', '--steps', '4', '--epochs', '0', '--seed', '3'];
  // A budget the training pool cannot fill is refused before any work, as startEvaluation refuses it for the app.
  const refused = runCli(['evaluate', file, '--budgets', '40,10,20,5000', ...options]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /budget 5000 exceeds the training pool: \d+ labeled, embedded samples less the 25% test split leave \d+ to train on/);
  const run = runCli(['evaluate', file, '--budgets', '40,10,20', ...options, '--json']);
  assert.equal(run.status, 0, run.stderr);
  const record = JSON.parse(run.stdout) as EvaluationRecord;
  const { results, settings } = record;
  assert.deepEqual(settings.budgets, [10, 20, 40], 'budgets sorted');
  assert.equal(settings.split, 'grouped');
  assert.equal(results.data.labeled, images);
  assert.equal(results.data.usable, images);
  assert.equal(results.data.test + results.data.pool, images);
  assert.ok(Math.abs(results.data.test - images * 0.25) <= images * 0.25, 'test split near the asked fraction');
  assert.ok(results.data.duplicateClusters! > 1);
  assert.equal(results.data.groupsFrom, "column 'object_type'");
  assert.equal(results.largestBudget, 40);
  assert.deepEqual(results.curves.map((c) => c.strategy), ['fps', 'random', 'typiclust', 'fps-dense']);
  for (const curve of results.curves) {
    assert.deepEqual(curve.points.map((p) => p.budget), [10, 20, 40]);
    for (const p of curve.points) {
      assert.equal(p.skipped, false);
      assert.equal(p.runs.length, 2);
      for (const metric of [p.plain!, p.balanced!]) {
        assert.ok(metric.mean >= 0 && metric.mean <= 180, `${curve.strategy}@${p.budget}: mean ${metric.mean}`);
        assert.ok(metric.sd >= 0);
      }
      const runsMean = (p.runs[0]!.plain + p.runs[1]!.plain) / 2;
      assert.ok(Math.abs(runsMean - p.plain!.mean) < 1e-9, 'the mean is the mean of the repeats');
      assert.ok(p.within5! <= p.within10!);
    }
  }
  // Random's two repeats use different orders, so their runs differ.
  const random = results.curves.find((c) => c.strategy === 'random')!;
  assert.notEqual(random.points[0]!.runs[0]!.plain, random.points[0]!.runs[1]!.plain);
  assert.equal(results.labelsSaved.length, 6, 'three strategies × two metrics against random');
  for (const l of results.labelsSaved) {
    assert.ok(l.reachedAt === null || (l.reachedAt >= 1 && l.reachedAt <= 40 && Number.isInteger(l.reachedAt)));
    assert.equal(l.saved, l.reachedAt === null ? null : 40 - l.reachedAt);
  }
  assert.ok(results.best.plain && results.best.balanced);
  assert.equal(settings.epochs, 0);
  assert.deepEqual(results.profile!.stepsByBudget, { '10': 4, '20': 4, '40': 4 }, 'epochs 0: every model gets exactly --steps');
  const p = results.profile!;
  for (const phase of [p.decodeSeconds, p.splitAndGroupsSeconds, p.ordersSeconds, p.trainSeconds, p.predictSeconds, p.cpuSeconds]) assert.ok(phase >= 0);
  assert.ok(p.trainSeconds + p.decodeSeconds <= results.seconds, 'phases are parts of the run');
  const composition = results.composition!;
  assert.ok(Math.abs(composition.test.reduce((a, b) => a + b, 0) - 1) < 1e-9, 'the test split’s shares add up to one');
  assert.deepEqual(composition.picks.map((c) => `${c.strategy}@${c.budget}`), ['fps', 'random', 'typiclust', 'fps-dense'].flatMap((s) => [10, 20, 40].map((b) => `${s}@${b}`)));

  const project = Project.open(file);
  const stored = listEvaluations(project.db);
  project.close();
  assert.equal(stored.length, 1, 'the refused run stored nothing');
  assert.equal(stored[0]!.id, record.id);
  assert.deepEqual(stored[0]!.best, results.best);

  const human = runCli(['evaluate', file, '--strategies', 'fps,random', '--budgets', '10', '--repeats', '1', '--input-size', '16', '--steps', '2', '--epochs', '1', '--split', 'random']);
  assert.equal(human.status, 0, human.stderr);
  // One repeat measures no spread and supports no labels-saved claim; the error of a guess is named.
  assert.match(human.stdout, /fps\s+10\s+\d+\.\d\s+\d+\.\d\s/);
  assert.doesNotMatch(human.stdout, /±/);
  assert.match(human.stdout, /labels saved: not claimed from a single repeat/);
  assert.match(human.stdout, /chance \(a random guess\) scores 90° \(full circle\)/);
  assert.match(human.stdout, /best strategy on this project: (fps|random)/);
  assert.match(human.stderr, /^fps at 10 labels, repeat 1: plain \d+\.\d°, balanced \d+\.\d°$/m, 'each model is reported as it is scored');
  assert.match(human.stdout, /share of each group in the test split and in each strategy's first 10 picks/);
  assert.match(human.stdout, /regressor 16×16, max\(2 steps, 1 epochs\) per model/);
  assert.match(human.stdout, /time: decoding \d+ s, .*training \d+ s.*CPU \d+ s; steps per model: 2 at 10/);
});

test('a budget above the training pool the split left (a grouped split can hold out more than expected) is reported as skipped', async () => {
  const n = 8;
  const points = makePoints(Float32Array.from({ length: n * 2 }, (_, i) => i), 2);
  const split = { pool: [0, 1, 2, 3, 4], test: [5, 6, 7] };
  const settings = evaluationSettingsSchema.parse({ strategies: ['random'], budgets: [2, 6], repeats: 1 });
  const trained: number[] = [];
  const { curves, largestBudget } = await learningCurves(
    { points, angles: new Float64Array(n), mode: 'full', groups: new Array<number>(n).fill(0), typiclustBatch: 10 },
    split,
    settings,
    async (trainRows, testRows) => {
      trained.push(trainRows.length);
      return new Float64Array(testRows.length);
    },
  );
  assert.deepEqual(trained, [2], 'only the budget the pool fills is trained');
  assert.equal(largestBudget, 2);
  const [fits, above] = curves[0]!.points;
  assert.deepEqual([fits!.skipped, fits!.plain?.mean], [false, 0]);
  assert.deepEqual([above!.budget, above!.skipped, above!.plain, above!.runs], [6, true, null, []]);
});

test('evaluation settings are validated with messages naming the option', () => {
  const bad = runCli(['evaluate', path.join(dir, 'none.farpoint'), '--strategies', 'fps,greedy']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--strategies: .*greedy|--strategies: Invalid option/);
  const fraction = runCli(['evaluate', path.join(dir, 'none.farpoint'), '--test-fraction', '1.5']);
  assert.match(fraction.stderr, /--test-fraction: the test fraction must be below 1/);
  const budgets = runCli(['evaluate', path.join(dir, 'none.farpoint'), '--budgets', '10,x']);
  assert.match(budgets.stderr, /--budgets: 'x' is not a number/);
  assert.deepEqual(evaluationSettingsSchema.parse({}).budgets, [25, 50, 100, 200, 400]);
});

test('`--split-column item` keeps every item (an object in one pose) whole on one side of the split; an unknown column is named', async () => {
  const { file } = await generatedProject(dir, 'items');
  const run = runCli(['evaluate', file, '--strategies', 'fps,random', '--budgets', '10', '--repeats', '1', '--split-column', 'item', '--input-size', '16', '--steps', '2', '--epochs', '0', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const { results, settings } = JSON.parse(run.stdout) as EvaluationRecord;
  assert.equal(settings.splitColumn, 'item');
  assert.equal(results.data.splitFrom, "column 'item'");
  const project = Project.open(file);
  const items0 = [...readSampleAttribute(project.db, 'item').values()];
  const items = new Set(items0);
  project.close();
  assert.equal(results.data.duplicateClusters, items.size, 'one group per distinct item');
  assert.ok(results.data.largestDuplicateCluster! > 1, 'the demo has items with several near-identical images');
  assert.equal(results.data.duplicateThreshold, null);
  // A common kind's pose is a mode of the data, too large to hold out: it stays in the pool, and the test set is drawn from the distinct items.
  const itemRows = new Map<string, number>();
  for (const item of items0) itemRows.set(item, (itemRows.get(item) ?? 0) + 1);
  const cap = largestHeldOutGroup(Math.round(results.data.usable * settings.testFraction), [...itemRows.values()]);
  const poses = [...itemRows].filter(([item, n]) => /^(bolt|key|arrow)-pose\d$/.test(item) && n > cap);
  const poseRows = poses.reduce((sum, [, n]) => sum + n, 0);
  assert.deepEqual(results.data.tooLargeToHoldOut, { groups: poses.length, rows: poseRows });
  assert.ok(results.data.test <= results.data.usable - poseRows, 'the test set holds only distinct items');
  assert.match(formatEvaluation(JSON.parse(run.stdout) as EvaluationRecord, 'full'), new RegExp(`${poses.length} groups too large to hold out \\(${poseRows} samples\\) stayed in the training pool`));
  const unknown = runCli(['evaluate', file, '--split-column', 'pose', '--budgets', '10', '--repeats', '1']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no imported column named 'pose' \(the project has: .*item/);
});
