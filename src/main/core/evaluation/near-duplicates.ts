import { squaredDistance, type Points } from './points';

export interface DuplicateClusters {
  /** Cluster of each row, 0..count−1 (rows with no near-duplicate are clusters of one). */
  cluster: Int32Array;
  count: number;
  largest: number;
  /** The latent distance under which two rows count as near-duplicates. */
  threshold: number;
}

/**
 * Near-duplicate clusters: rows closer than `threshold` are joined, and
 * joining is transitive (single linkage, union–find), so a chain of
 * near-copies is one cluster. Exact, O(n²·d).
 */
export function nearDuplicateClusters(points: Points, threshold: number): DuplicateClusters {
  const n = points.count;
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const limit = threshold * threshold;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (squaredDistance(points, i, points, j) <= limit) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const cluster = new Int32Array(n);
  const ids = new Map<number, number>();
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const root = find(i);
    let id = ids.get(root);
    if (id === undefined) {
      id = ids.size;
      ids.set(root, id);
      sizes.push(0);
    }
    cluster[i] = id;
    sizes[id]!++;
  }
  return { cluster, count: ids.size, largest: Math.max(0, ...sizes), threshold };
}

/** Each row's distance to its nearest other row (Infinity for a lone row). Exact, O(n²·d). */
export function nearestNeighbourDistances(points: Points): Float64Array {
  const n = points.count;
  const nearest = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = squaredDistance(points, i, points, j);
      if (d < nearest[i]!) nearest[i] = d;
      if (d < nearest[j]!) nearest[j] = d;
    }
  }
  return nearest.map(Math.sqrt);
}

/** The median distance from a row to its nearest other row (a scale for the latent space). */
export function medianNearestNeighbourDistance(points: Points): number {
  const n = points.count;
  if (n < 2) return 0;
  const nearest = nearestNeighbourDistances(points).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? nearest[mid]! : (nearest[mid - 1]! + nearest[mid]!) / 2;
}
