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

/** A grouped split, and the groups it left in the pool because each was too large to hold out. */
export interface GroupedSplit extends TestSplit {
  tooLarge: { groups: number; rows: number };
}

/**
 * The largest share of the nominal test set one group may take. A group above
 * it is not one item's few copies but a mode of the data (a common kind in one
 * pose): held out whole it would fill the test set with one narrow angle range
 * that no training image shows, so the error would measure extrapolation to an
 * unseen mode rather than generalisation to unseen items.
 */
export const largestTestGroupShare = 0.05;

/**
 * A group of this many rows, or no larger than the median group, may always be
 * held out: on a small project a twentieth of the test set is a row or less,
 * and where every item is photographed several times an item is what a group
 * typically is, not a mode.
 */
export const alwaysHeldOutRows = 4;

/**
 * A grouped split: whole groups go to the test set, in a seeded random order,
 * as long as they fit under the target size, so near-copies of a test image
 * never sit in the training pool. Groups larger than `largestTestGroupShare`
 * of the nominal test set (and than `alwaysHeldOutRows` and the median group)
 * are never held out: they stay in the pool, and the test set takes `fraction`
 * of the rows in the other groups, so the pool keeps its share of those. The
 * test set then measures generalisation to unseen items, its angles spread like
 * theirs. If no group can be held out, the smallest one is, so the test set is
 * never empty.
 */
export function groupedSplit(cluster: Int32Array, fraction: number, seed: number): GroupedSplit {
  const count = cluster.length;
  const nominal = testTarget(count, fraction);
  const members = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const list = members.get(cluster[i]!);
    if (list) list.push(i);
    else members.set(cluster[i]!, [i]);
  }
  const groups = [...members.keys()].sort((a, b) => a - b);
  const cap = largestHeldOutGroup(nominal, groups.map((g) => members.get(g)!.length));
  const eligible = groups.filter((g) => members.get(g)!.length <= cap);
  const eligibleRows = eligible.reduce((sum, g) => sum + members.get(g)!.length, 0);
  let tooLarge = { groups: groups.length - eligible.length, rows: count - eligibleRows };
  // With every group eligible this is the nominal target: the split is the plain grouped one.
  const target = tooLarge.groups === 0 ? nominal : Math.min(nominal, Math.max(1, Math.round(eligibleRows * fraction)));
  const test: number[] = [];
  for (const g of seededShuffle(eligible.length, seed).map((k) => eligible[k]!)) {
    const rows = members.get(g)!;
    if (test.length + rows.length <= target) test.push(...rows);
    if (test.length === target) break;
  }
  if (test.length === 0) {
    const smallest = groups.reduce((best, g) => (members.get(g)!.length < members.get(best)!.length ? g : best), groups[0]!);
    test.push(...members.get(smallest)!);
    if (members.get(smallest)!.length > cap) tooLarge = { groups: tooLarge.groups - 1, rows: tooLarge.rows - members.get(smallest)!.length };
  }
  return { ...finish(count, test), tooLarge };
}

/** The largest group the test set may hold (see `largestTestGroupShare` and `alwaysHeldOutRows`). */
export function largestHeldOutGroup(nominalTest: number, groupSizes: readonly number[]): number {
  const sorted = [...groupSizes].sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
  return Math.max(alwaysHeldOutRows, median, Math.round(nominalTest * largestTestGroupShare));
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
