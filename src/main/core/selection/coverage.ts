import type { DistanceKernel } from './distance-kernel';
import { FpsEngine } from './fps-engine';

export interface CoverageStep {
  /** Labels spent so far (1-based). */
  labels: number;
  /** The label just added. */
  row: number;
  /** Covering radius after it: the largest distance from an unlabeled pool row to its nearest label. */
  radius: number;
}

export interface CoverageOptions {
  /** The engine's pruning tree (see FpsEngineOptions.tree): 'never' where the caller must not spend a tree build in one go (the server's thread). */
  tree?: 'auto' | 'never';
  /** Labels inserted between two yields of coverageSteps. */
  slice?: number;
}

/** Labels a slice of coverageSteps inserts by default: each is one distance step over the pool. */
const SLICE = 16;

/**
 * The covering radius after each label, in the order the labels were given:
 * each label is one pruned insertion into an engine that starts empty.
 * Rows outside the pool (or given twice) are skipped.
 */
export function coverageCurve(kernel: DistanceKernel, inPool: (row: number) => boolean, labelRows: readonly number[]): CoverageStep[] {
  const steps = coverageSteps(kernel, inPool, labelRows);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** coverageCurve a slice of labels per step, yielding between slices, for a caller that must not hold its thread. */
export function* coverageSteps(
  kernel: DistanceKernel,
  inPool: (row: number) => boolean,
  labelRows: readonly number[],
  options: CoverageOptions = {},
): Generator<void, CoverageStep[], void> {
  const engine = FpsEngine.create(kernel, inPool, { tree: options.tree ?? 'auto' });
  const slice = options.slice ?? SLICE;
  const steps: CoverageStep[] = [];
  for (const row of labelRows) {
    if (!engine.isCandidate(row)) continue;
    engine.insert(row);
    steps.push({ labels: steps.length + 1, row, radius: engine.coveringRadius() });
    if (steps.length % slice === 0) yield;
  }
  return steps;
}
