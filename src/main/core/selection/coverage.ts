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

/**
 * The covering radius after each label, in the order the labels were given:
 * each label is one pruned insertion into an engine that starts empty.
 * Rows outside the pool (or given twice) are skipped.
 */
export function coverageCurve(kernel: DistanceKernel, inPool: (row: number) => boolean, labelRows: readonly number[]): CoverageStep[] {
  const engine = FpsEngine.create(kernel, inPool);
  const steps: CoverageStep[] = [];
  for (const row of labelRows) {
    if (!engine.isCandidate(row)) continue;
    engine.insert(row);
    steps.push({ labels: steps.length + 1, row, radius: engine.coveringRadius() });
  }
  return steps;
}
