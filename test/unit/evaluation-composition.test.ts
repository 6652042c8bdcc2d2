import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrategyName } from '../../src/shared/domain';
import { compositionTable } from '../../src/main/doors/cli/evaluation-report';
import { pickComposition } from '../../src/main/stages/evaluate/pick-composition';

test('pick composition: each group’s share of the test split and of every strategy’s first b picks', () => {
  // Rows 0–5 common, 6–7 rare, 8 a group the test split does not hold.
  const groups = ['common', 'common', 'common', 'common', 'common', 'common', 'rare', 'rare', 'odd'];
  const test = [0, 1, 2, 6];
  const orders = new Map<StrategyName, number[]>([
    ['fps', [7, 8, 3, 4]],
    ['random', [3, 4, 5, 7]],
  ]);
  const c = pickComposition(groups, test, orders, [2, 4, 10]);
  assert.deepEqual(c.groups, ['common', 'rare', 'odd'], 'the test split’s largest group first, then groups only picks reach');
  assert.deepEqual(c.test, [0.75, 0.25, 0]);
  assert.deepEqual(
    c.picks.map((p) => [p.strategy, p.budget, p.shares]),
    [
      ['fps', 2, [0, 0.5, 0.5]],
      ['fps', 4, [0.5, 0.25, 0.25]],
      ['random', 2, [1, 0, 0]],
      ['random', 4, [0.75, 0.25, 0]],
    ],
    'a budget longer than the order is left out',
  );
  const table = compositionTable(c);
  assert.match(table[0]!, /first 2 picks/);
  assert.match(table[2]!, /^common\s+75%\s+0%\s+100%$/);
  assert.match(table[3]!, /^rare\s+25%\s+50%\s+0%$/);
});
