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
  return yield* new CoverageRun(kernel, inPool, options.tree).extend(labelRows, options.slice ?? SLICE);
}

/**
 * A coverage curve kept between requests: labels given since are inserted
 * into the same engine, so each new label costs one insertion instead of
 * the whole curve again (every label so far, one distance step each).
 */
export class CoverageRun {
  private readonly engine: FpsEngine;
  private readonly steps: CoverageStep[] = [];
  /** The label rows taken so far, in order (those skipped as outside the pool or repeated included). */
  private readonly taken: number[] = [];

  constructor(kernel: DistanceKernel, inPool: (row: number) => boolean, tree: CoverageOptions['tree'] = 'auto') {
    this.engine = FpsEngine.create(kernel, inPool, { tree });
  }

  /** Whether `labelRows` starts with the label rows this run has taken (it can go on from here). */
  continues(labelRows: readonly number[]): boolean {
    if (labelRows.length < this.taken.length) return false;
    for (let k = 0; k < this.taken.length; k++) if (labelRows[k] !== this.taken[k]) return false;
    return true;
  }

  /** Takes the label rows beyond those taken so far, `slice` insertions per step; the whole curve so far. */
  *extend(labelRows: readonly number[], slice = SLICE): Generator<void, CoverageStep[], void> {
    if (!this.continues(labelRows)) throw new Error('the labels do not continue this coverage run');
    let inserted = 0;
    while (this.taken.length < labelRows.length) {
      const row = labelRows[this.taken.length]!;
      this.taken.push(row);
      if (!this.engine.isCandidate(row)) continue;
      this.engine.insert(row);
      this.steps.push({ labels: this.steps.length + 1, row, radius: this.engine.coveringRadius() });
      if (++inserted % slice === 0) yield;
    }
    return this.steps.slice();
  }
}
