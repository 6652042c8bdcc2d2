import { squaredDistance, type Points } from '../points';

/**
 * Exact greedy furthest-point order over `points`, continuing from the rows
 * in `chosen` (already labeled; not repeated in the result). With nothing
 * chosen, the start is the row farthest from the mean, lowest row on ties —
 * the queue's documented deterministic start. O(n·m·d) for m picks.
 */
export function furthestPointOrderFrom(points: Points, chosen: readonly number[], limit: number = points.count): number[] {
  const n = points.count;
  const dim = points.dim;
  const mind = new Float64Array(n).fill(Infinity);
  const taken = new Uint8Array(n);
  const update = (c: number) => {
    taken[c] = 1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const d = squaredDistance(points, i, points, c);
      if (d < mind[i]!) mind[i] = d;
    }
  };
  for (const c of chosen) update(c);
  const order: number[] = [];
  const want = Math.min(limit, n - chosen.length);
  if (want <= 0) return order;
  if (chosen.length === 0) {
    const mean: Points = { vectors: new Float32Array(dim), dim, count: 1 };
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean.vectors[d]! += points.vectors[i * dim + d]! / n;
    let start = 0;
    let far = -1;
    for (let i = 0; i < n; i++) {
      const d = squaredDistance(points, i, mean, 0);
      if (d > far) {
        far = d;
        start = i;
      }
    }
    order.push(start);
    update(start);
  }
  while (order.length < want) {
    let next = -1;
    let far = -1;
    for (let i = 0; i < n; i++) {
      if (!taken[i] && mind[i]! > far) {
        far = mind[i]!;
        next = i;
      }
    }
    order.push(next);
    update(next);
  }
  return order;
}
