import { seededRandom } from '../random';

/**
 * The random baseline: a Fisher–Yates permutation of 0..n−1 driven by the
 * project's seed (mulberry32), identical on every machine. Callers permute
 * all sample ids in ascending order and filter out labeled and excluded ones,
 * so labeling never reshuffles the rest.
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`permutation size must be a non-negative integer, got ${n}`);
  const random = seededRandom(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
