import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { makePoints, type Points } from '../../src/main/core/evaluation/points';
import type { LiveOrder, OrderedRow, PoolView } from '../../src/main/core/selection/live-order';
import { buildLiveOrders, strategyRegistry, type StrategyRegistry } from '../../src/main/core/strategies/registry';
import type { StrategyDefinition } from '../../src/main/core/strategies/strategy';
import { evaluateCommand } from '../../src/main/doors/cli/commands/evaluate';
import { queueCommand } from '../../src/main/doors/cli/commands/queue';
import { learningCurves } from '../../src/main/stages/evaluate/learning-curves';
import { requests } from '../../src/shared/contract';
import { evaluationSettingsSchema } from '../../src/shared/contract/evaluation-requests';
import { strategyName } from '../../src/shared/contract/schemas';
import type { StrategyName } from '../../src/shared/domain';
import { strategyCatalog } from '../../src/shared/strategy-catalog';
import { strategyNames } from '../../src/shared/strategy-names';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

test('every strategy of the catalog has an implementation in the registry, and no other is registered', () => {
  assert.deepEqual(Object.keys(strategyRegistry).sort(), [...strategyNames].sort());
  for (const name of strategyNames) {
    const info = strategyCatalog[name];
    assert.ok(info.label.length > 0 && info.description.length > 0, `${name} has a label and a description`);
    assert.match(info.colour, /^#[0-9a-f]{6}$/, `${name} has a plot colour`);
  }
  assert.equal(new Set(strategyNames.map((n) => strategyCatalog[n].colour)).size, strategyNames.length, 'each strategy its own colour');
});

test('the contract accepts every registered strategy and the evaluation runs them all by default', () => {
  assert.deepEqual([...strategyName.options], [...strategyNames]);
  for (const name of strategyNames) {
    assert.ok(requests.getQueue.arg.safeParse({ offset: 0, limit: 1, strategy: name }).success, `getQueue takes ${name}`);
    assert.ok(requests.updateSettings.arg.safeParse({ strategy: name }).success, `updateSettings takes ${name}`);
  }
  assert.deepEqual(evaluationSettingsSchema.parse({}).strategies, [...strategyNames]);
});

test("the CLI's help names every strategy with its description", () => {
  const queueHelp = `${queueCommand.details}\n${queueCommand.options?.strategy?.value}`;
  for (const name of strategyNames) {
    assert.ok(queueCommand.options?.strategy?.value?.split('|').includes(name), `--strategy offers ${name}`);
    assert.ok(queueHelp.includes(`${name}: ${strategyCatalog[name].description}`), `farpoint queue --help explains ${name}`);
    assert.ok(evaluateCommand.options?.strategies?.description.split(/[ :,]+/).includes(name), `farpoint evaluate --help lists ${name}`);
  }
});

test('the Queue view, the Evaluation form and the plots read the strategies from the catalog, not a list of their own', () => {
  const renderer = (file: string) => fs.readFileSync(path.join(repoRoot, 'src', 'renderer', file), 'utf8');
  assert.match(renderer('views/QueueView.svelte'), /strategyNames\.map\(\(value\) => \(\{ value, label: strategyCatalog\[value\]\.label/);
  assert.match(renderer('components/evaluation/EvaluationForm.svelte'), /\{#each strategyNames as s/);
  assert.match(renderer('components/evaluation/LearningCurvePlot.svelte'), /strategyCatalog\[strategy\]\.colour/);
  // A list (an array, an enum or a map keyed by name) of two or more strategy names anywhere outside the catalog and the
  // registry is a second list that a new strategy would have to join.
  const quoted = strategyNames.map((n) => `'${n}'`).join('|');
  const listed = new RegExp(`(${quoted})\\s*,\\s*(${quoted})|\\b(fps|random|typiclust|probcover|auto|'fps-dense'): '#`);
  const exempt = new Set(['src/shared/strategy-catalog.ts', 'src/main/core/strategies/registry.ts']);
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|svelte)$/.test(entry.name) && !exempt.has(rel) && listed.test(fs.readFileSync(path.join(repoRoot, rel), 'utf8'))) offenders.push(rel);
    }
  };
  for (const dir of ['src/renderer', 'src/shared', 'src/main/doors']) walk(dir);
  assert.deepEqual(offenders, []);
});

/** A toy strategy, registered only here: the pool in reverse row order, and the same live. */
class ReverseOrder implements LiveOrder {
  constructor(private readonly view: PoolView) {}
  rows(offset: number, limit: number): OrderedRow[] {
    const rows: OrderedRow[] = [];
    for (let r = this.view.kernel.count - 1; r >= 0; r--) if (this.view.inPool(r) && !this.view.isKnown(r)) rows.push({ row: r, novelty: 0 });
    return rows.slice(offset, offset + limit);
  }
  knownPosition(): number | null {
    return null;
  }
  known(): void {}
  reset(): void {}
}
const toyStrategy: StrategyDefinition = {
  offlineOrder: (points: Points, { limit }) => Array.from({ length: limit }, (_, k) => points.count - 1 - k),
  liveOrder: (view) => new ReverseOrder(view),
};
const withToy: StrategyRegistry = { ...strategyRegistry, toy: toyStrategy };
const toy = 'toy' as StrategyName;

test('a strategy added to the registry is offered by the evaluation: its learning curve is trained on its own order', async () => {
  const n = 12;
  const points = makePoints(Float32Array.from({ length: n * 2 }, (_, i) => i), 2);
  const split = { pool: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], test: [10, 11] };
  const settings = { ...evaluationSettingsSchema.parse({ budgets: [2, 4], repeats: 1 }), strategies: [toy, 'random' as const] };
  const trained: number[][] = [];
  const { curves, firstOrders } = await learningCurves(
    { points, angles: new Float64Array(n), mode: 'full', groups: new Array<number>(n).fill(0) },
    split,
    settings,
    async (trainRows, testRows) => {
      trained.push(trainRows);
      return new Float64Array(testRows.length);
    },
    {},
    withToy,
  );
  assert.deepEqual(curves.map((c) => c.strategy), [toy, 'random']);
  assert.deepEqual(firstOrders.get(toy), [9, 8, 7, 6], "the toy's order over the pool, as rows of the input");
  assert.deepEqual(trained.slice(0, 2), [[9, 8], [9, 8, 7, 6]], 'trained on the first b of its order');
});

test("a strategy added to the registry gets its live order built for the queue; fps and random stay QueueState's own", () => {
  const inPool = [1, 1, 0, 1];
  const view: PoolView = { kernel: { count: 4 } as PoolView['kernel'], inPool: (r) => inPool[r] === 1, isKnown: () => false };
  const settings = { seed: 1, typiclust: { batchSize: 2, seed: 1, stored: () => null, save: () => undefined } };
  const orders = buildLiveOrders(view, settings, withToy);
  assert.deepEqual([...orders.keys()].sort(), [...strategyNames.filter((n) => strategyRegistry[n].liveOrder !== 'queue-state'), 'toy'].sort());
  assert.ok(!orders.has('fps') && !orders.has('random'));
  assert.deepEqual(orders.get('toy')!.rows(0, 10).map((r) => r.row), [3, 1, 0]);
});
