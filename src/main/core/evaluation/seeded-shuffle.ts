import { seededRandom } from '../random';

/** Fisher–Yates shuffle of 0..n−1 driven by a seeded PRNG: the same seed gives the same order on every machine. */
export function seededShuffle(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
