import { seededShuffle } from './seeded-shuffle';

export interface TestSplit {
  /** Row indices of the held-out test set, ascending. */
  test: number[];
  /** Row indices of the training pool, ascending. */
  pool: number[];
}

/** A plain random split: `fraction` of the rows (rounded, at least one) held out. */
export function randomSplit(count: number, fraction: number, seed: number): TestSplit {
  const target = testTarget(count, fraction);
  const order = seededShuffle(count, seed);
  return finish(count, order.slice(0, target));
}

/**
 * A grouped split: whole clusters go to the test set, in a seeded random
 * order, as long as they fit under the target size, so near-copies of a test
 * image never sit in the training pool. If no cluster fits, the smallest one
 * is held out so the test set is never empty.
 */
export function groupedSplit(cluster: Int32Array, fraction: number, seed: number): TestSplit {
  const count = cluster.length;
  const target = testTarget(count, fraction);
  const members = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const list = members.get(cluster[i]!);
    if (list) list.push(i);
    else members.set(cluster[i]!, [i]);
  }
  const groups = [...members.keys()].sort((a, b) => a - b);
  const test: number[] = [];
  for (const g of seededShuffle(groups.length, seed).map((k) => groups[k]!)) {
    const rows = members.get(g)!;
    if (test.length + rows.length <= target) test.push(...rows);
    if (test.length === target) break;
  }
  if (test.length === 0) {
    const smallest = groups.reduce((best, g) => (members.get(g)!.length < members.get(best)!.length ? g : best), groups[0]!);
    test.push(...members.get(smallest)!);
  }
  return finish(count, test);
}

function testTarget(count: number, fraction: number): number {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`test fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  if (count < 2) throw new Error(`a test split needs at least 2 labeled samples, the project has ${count}`);
  return Math.min(count - 1, Math.max(1, Math.round(count * fraction)));
}

function finish(count: number, test: number[]): TestSplit {
  const inTest = new Uint8Array(count);
  for (const i of test) inTest[i] = 1;
  const pool: number[] = [];
  for (let i = 0; i < count; i++) if (!inTest[i]) pool.push(i);
  return { test: [...test].sort((a, b) => a - b), pool };
}
