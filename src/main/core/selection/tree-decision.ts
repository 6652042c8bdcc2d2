import { seededRandom } from '../random';
import type { DistanceKernel } from './distance-kernel';
import { createKernel } from './kernel-factory';
import { TreeEngine, type PruneStats } from './fps-tree-engine';

/**
 * Rows of the sample the decision builds its tree on (all rows below this),
 * and greedy picks run on it. The decision is a fixed cost of the engine's
 * hand-over, paid in full by data where the tree does not pay (it then
 * serves nothing), so the sample is the smallest whose share still stands
 * well clear of TREE_PAYS_AT_MOST on both sides: uniform data in 32
 * dimensions and more, and clustered latent-like data, over seeds
 * (selection-tree-decision.test.ts checks both margins).
 */
export const DECISION_SAMPLE_ROWS = 2_048;
export const DECISION_PICKS = 32;
/** The tree pays where the sample's picks compute at most this share of the distances a full step per insertion would. */
export const TREE_PAYS_AT_MOST = 0.5;

export interface TreeDecision {
  /** Whether the FPS engine should build its pruning tree over the whole matrix. */
  pays: boolean;
  /** Distances the sample's picks computed through its tree (rows and node references), as a share of those one full step per insertion computes: the figure the rule compares. */
  computedShare: number;
  /** Rows and picks the estimate used. */
  sampleRows: number;
  picks: number;
}

const decisions = new WeakMap<DistanceKernel, TreeDecision>();

/**
 * Whether the pruning tree will pay on this matrix, decided once per kernel
 * from a sample, before the tree over every row is built (the build is
 * several passes over the matrix with a sort per level, the cost of many
 * streamed steps at large N).
 *
 * The estimate: a deterministic sample of DECISION_SAMPLE_ROWS rows (one
 * seeded row in each of that many equal strides, so it spans the whole
 * matrix in row order), copied into a kernel of its own; a pruning tree over
 * it; DECISION_PICKS greedy picks through that tree with the full step
 * switched off (fullStepShare Infinity), counting the distances they
 * computed (rows in the leaves, node references) against what one full step
 * per insertion computes (the candidates at each insertion).
 *
 * The rule: the tree pays where that share is at most TREE_PAYS_AT_MOST
 * (one half). A distance computed through the tree is a gather (the row's
 * vector wherever it lies) and costs at least twice a streamed one, so above
 * one half the tree's path costs what the full step does and more, and its
 * build (several passes over the matrix and a sort per level) buys nothing:
 * the engine goes straight to the streamed step (fps-stream-engine.ts).
 * Uniform high-dimensional data is that case: distances concentrate, every
 * ball straddles the covering radius and nothing prunes. Clustered data near a low-dimensional subspace (the latents of
 * an encoder) computes a small fraction: the tree is built. The count is of
 * distances, not of rows reached: a row skipped by its own bound is read
 * (its bounds) but costs no distance, and rows reached at one insertion
 * when a long queue is emptied would make a count of rows swing between
 * samples.
 *
 * Why a sample predicts the whole matrix: pruning depends on the covering
 * radius against the spread of the balls, and the covering radius after a
 * given number of picks depends on the data's distribution, not on how many
 * rows were drawn from it; so the same picks on a sample see roughly the
 * whole matrix's pruning at the same point in the order.
 *
 * The decision only affects speed: both engines give the same order and
 * novelties, bit for bit. It reads only the matrix (never the pool or the
 * labels), so every engine on a kernel (a queue's clones) takes the same
 * path, and it is computed once per kernel.
 */
export function treeDecision(kernel: DistanceKernel): TreeDecision {
  const known = decisions.get(kernel);
  if (known) return known;
  const decision = estimate(kernel);
  decisions.set(kernel, decision);
  return decision;
}

function estimate(kernel: DistanceKernel): TreeDecision {
  const { count, dim } = kernel;
  const m = Math.min(count, DECISION_SAMPLE_ROWS);
  const picks = Math.min(DECISION_PICKS, m);
  if (picks < 2) return { pays: false, computedShare: 1, sampleRows: m, picks };
  const sample = createKernel(m, dim, kernel.kind);
  const random = seededRandom(count);
  const source = kernel.vectors;
  const target = sample.vectors;
  for (let j = 0; j < m; j++) {
    // Row j when the sample is the whole matrix; else one seeded row in each stride.
    const from = Math.floor((j * count) / m);
    const to = Math.floor(((j + 1) * count) / m);
    const row = from + Math.min(to - from - 1, Math.floor(random() * (to - from)));
    // Value by value: a subarray per row costs more than copying its values.
    for (let k = 0, o = kernel.vectorOffset(row); k < dim; k++) target[j * dim + k] = source[o + k]!;
  }
  const stats: PruneStats = { insertions: 0, pointEvaluations: 0, centerEvaluations: 0, bruteEvaluations: 0, nodesSkipped: 0, groupsSkipped: 0, pointsSkipped: 0, fullSteps: 0, hotRefreshes: 0 };
  const tree = TreeEngine.resume(sample, new Uint8Array(m).fill(1), new Float32Array(m).fill(Infinity), [], 0, stats, { fullStepShare: Infinity });
  for (let k = 0; k < picks; k++) {
    const next = tree.peek();
    if (!next) break;
    tree.insert(next.row);
  }
  // The last pick's scans (it is the next pick that settles a center's queue).
  tree.peek();
  const computedShare = stats.bruteEvaluations > 0 ? (stats.pointEvaluations + stats.centerEvaluations) / stats.bruteEvaluations : 1;
  return { pays: computedShare <= TREE_PAYS_AT_MOST, computedShare, sampleRows: m, picks };
}
