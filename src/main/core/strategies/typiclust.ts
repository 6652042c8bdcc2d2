import { sampledKMeans } from '../evaluation/sampled-kmeans';
import type { Points } from '../evaluation/points';
import { TYPICALITY_NEIGHBOURS, typicality, typicalityOfRows } from './typicality';

/**
 * TypiClust (Hacohen, Dekel & Weinshall, ICML 2022, "Active learning on a
 * budget"): to pick a batch of B with L already labeled, cluster the pool into
 * L + B clusters with k-means, take the B largest clusters that hold no
 * labeled sample, and from each the most typical sample (highest inverse mean
 * distance to its nearest neighbours within the cluster). Low budgets gain
 * because every pick is representative of a dense region, never an outlier.
 */

/**
 * The batch TypiClust picks when the project sets none: a few minutes of
 * labeling. The queue and the evaluation both pick in batches of the
 * project's size, so a learning curve is the curve of the queue's order.
 */
export const DEFAULT_TYPICLUST_BATCH = 10;

/** Batch sizes that make up the first `limit` picks: full batches of `batchSize`, the last one cut at `limit`. */
export function typiclustBatchSizes(limit: number, batchSize: number = DEFAULT_TYPICLUST_BATCH): number[] {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`typiclust batch size must be a positive integer, got ${batchSize}`);
  const sizes: number[] = [];
  for (let done = 0; done < limit; done += batchSize) sizes.push(Math.min(batchSize, limit - done));
  return sizes;
}

export interface TypiclustOptions {
  seed?: number;
  /** Neighbours for typicality (default 20, capped by the cluster size). */
  neighbours?: number;
  /** Upper bound on k-means clusters; the paper caps it for large budgets (default 1000). */
  maxClusters?: number;
  /** Clusters smaller than this are used only when larger ones run out (the authors' code uses 5). */
  minClusterSize?: number;
  /** Largest set (cluster or pool) whose typicality is exact; larger ones use the HNSW graph (default TYPICALITY_EXACT_LIMIT). */
  typicalityExactLimit?: number;
}

/** The next batch of `batchSize` row indices, given which rows are already labeled. */
export function typiclustBatch(points: Points, labeled: ArrayLike<number>, batchSize: number, options: TypiclustOptions = {}): number[] {
  const n = points.count;
  const isLabeled = new Uint8Array(n);
  for (let i = 0; i < labeled.length; i++) isLabeled[labeled[i]!] = 1;
  const available = n - countSet(isLabeled);
  const want = Math.min(batchSize, available);
  if (want <= 0) return [];
  const clusters = Math.min(labeled.length + want, options.maxClusters ?? 1000, n);
  const { assignment, sizes } = sampledKMeans(points, clusters, { seed: options.seed ?? 1 });

  const members: number[][] = Array.from({ length: clusters }, () => []);
  const covered = new Uint8Array(clusters);
  for (let i = 0; i < n; i++) {
    members[assignment[i]!]!.push(i);
    if (isLabeled[i]) covered[assignment[i]!] = 1;
  }
  // Largest uncovered clusters first, tiny ones (likely outliers) only after every bigger one;
  // ties by cluster index for determinism.
  const order = [...Array(clusters).keys()].filter((c) => !covered[c] && sizes[c]! > 0).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const minSize = options.minClusterSize ?? 5;
  order.sort((a, b) => Number(sizes[a]! < minSize) - Number(sizes[b]! < minSize));

  const picked: number[] = [];
  const taken = new Uint8Array(n);
  for (const c of order) {
    if (picked.length === want) break;
    const rows = members[c]!;
    const best = mostTypical(points, rows, options.neighbours ?? TYPICALITY_NEIGHBOURS, options.typicalityExactLimit);
    picked.push(best);
    taken[best] = 1;
  }
  // Fewer uncovered clusters than the batch (k capped, or coinciding rows): fill from the
  // largest clusters again, each time with its most typical sample not yet chosen.
  if (picked.length < want) {
    const byTypicality = rankByTypicality(points, isLabeled, taken, options.neighbours ?? TYPICALITY_NEIGHBOURS, options.typicalityExactLimit);
    for (const i of byTypicality) {
      if (picked.length === want) break;
      picked.push(i);
    }
  }
  return picked;
}

/**
 * A queue order built batch by batch, as an active-learning loop with nothing
 * labeled at the start: batch t is chosen knowing batches 1..t−1 are labeled.
 * `batchSizes` [25, 25, 50] gives the order of the first 100.
 */
export function typiclustOrder(points: Points, batchSizes: readonly number[], options: TypiclustOptions = {}): number[] {
  const order: number[] = [];
  for (const size of batchSizes) {
    if (order.length >= points.count) break;
    order.push(...typiclustBatch(points, order, size, options));
  }
  return order;
}

function mostTypical(points: Points, rows: number[], neighbours: number, exactLimit: number | undefined): number {
  if (rows.length === 1) return rows[0]!;
  const t = typicalityOfRows(points, rows, neighbours, exactLimit);
  let best = 0;
  for (let r = 1; r < rows.length; r++) if (t[r]! > t[best]!) best = r;
  return rows[best]!;
}

function rankByTypicality(points: Points, labeled: Uint8Array, taken: Uint8Array, neighbours: number, exactLimit: number | undefined): number[] {
  const t = typicality(points, neighbours, exactLimit);
  return [...Array(points.count).keys()].filter((i) => !labeled[i] && !taken[i]).sort((a, b) => t[b]! - t[a]! || a - b);
}

function countSet(flags: Uint8Array): number {
  let n = 0;
  for (const f of flags) n += f;
  return n;
}
