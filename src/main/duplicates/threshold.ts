import type { DistanceHistogram } from '../../shared/domain';

/**
 * The proposed near-duplicate threshold, from the distribution of each
 * sample's distance to its nearest neighbour (d₁).
 *
 * Rule: on a log scale, take the median m and the robust spread
 * s = 1.4826 · MAD of log d₁ over the samples with d₁ > 0. Propose
 *   t = exp(m − max(3·s, ln 2)) = min(median · e^(−3s), median / 2),
 * i.e. a pair is a near-duplicate when it is at least three robust standard
 * deviations closer, and at least twice as close, as a typical sample is to
 * its nearest neighbour. Median and MAD ignore the near-duplicates themselves
 * as long as fewer than half the samples have one; in a pool that is mostly
 * copies the proposal is too strict and the user moves the threshold up on
 * the histogram. Exact copies (d₁ = 0) are always below any threshold.
 */
export const PROPOSED_RULE =
  'min(median·e^(−3s), median/2) of nearest-neighbour distances, s = 1.4826·MAD of their logarithms: pairs at least 3 robust σ and 2× closer than a typical nearest neighbour';

export function proposeThreshold(nearest: ArrayLike<number>): number {
  const logs: number[] = [];
  for (let i = 0; i < nearest.length; i++) {
    const d = nearest[i]!;
    if (d > 0 && Number.isFinite(d)) logs.push(Math.log(d));
  }
  if (logs.length === 0) return 0;
  const m = median(logs);
  const s = 1.4826 * median(logs.map((x) => Math.abs(x - m)));
  return Math.exp(m - Math.max(3 * s, Math.LN2));
}

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const HISTOGRAM_BINS = 40;

/**
 * Linear bins from 0 to the 99th percentile of d₁ (at least 1.5 × the
 * threshold, so the threshold is always on the chart); the rare larger
 * distances are counted in the last bin rather than stretching the axis.
 */
export function distanceHistogram(nearest: ArrayLike<number>, threshold: number, bins = HISTOGRAM_BINS): DistanceHistogram {
  const finite: number[] = [];
  let zeros = 0;
  for (let i = 0; i < nearest.length; i++) {
    const d = nearest[i]!;
    if (!Number.isFinite(d)) continue;
    finite.push(d);
    if (d === 0) zeros++;
  }
  const sorted = Float64Array.from(finite).sort();
  const p99 = sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]! : 0;
  const top = Math.max(p99, threshold * 1.5) || 1;
  const width = top / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const d of sorted) counts[Math.min(bins - 1, Math.floor(d / width))]!++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * width);
  return { edges, counts, zeros };
}
