import type { DistanceHistogram } from '../../../shared/domain';

/**
 * The proposed near-duplicate threshold, from the distribution of each
 * sample's distance to its nearest neighbour (d₁), on a log scale (distances
 * span orders of magnitude; near-copies sit far left of the bulk).
 *
 * 1. Find the bulk of ordinary samples. If the log d₁ are clearly bimodal,
 *    the bulk is the upper mode: split the sorted values where the
 *    between-class variance is largest (Otsu), keeping at least 2 samples
 *    below and 10 % above the split (a few isolated outliers at the top are
 *    not a mode), and accept the split when Ashman's
 *    D = √2·|μ₂ − μ₁| / √(σ₁² + σ₂²) exceeds 3 (one log-normal split in half
 *    gives about 2.7). Otherwise the bulk is every sample.
 * 2. With the bulk's median m and robust spread s = 1.4826 · MAD of log d₁,
 *    propose t = exp(m − max(3s, ln 2)) = min(median·e^(−3s), median/2):
 *    a pair is a near-duplicate when it is at least three robust standard
 *    deviations closer, and at least twice as close, as a typical sample of
 *    the bulk is to its nearest neighbour.
 * Near-copies made different ways (noise, shifts, re-encoding) may form
 * several small modes; all of them lie below the bulk's edge, which is what
 * this rule finds. Exact copies (d₁ = 0) are below any threshold and are
 * left out of the statistics.
 */
export const PROPOSED_RULE =
  'min(m·e^(−3s), m/2) for the bulk of nearest-neighbour distances (median m, s = 1.4826·MAD of their logs); the bulk is the upper mode when the logs are clearly bimodal (Otsu split, Ashman D > 3), else all samples';

const MIN_SEPARATION = 3;

export function proposeThreshold(nearest: ArrayLike<number>): number {
  const logs: number[] = [];
  for (let i = 0; i < nearest.length; i++) {
    const d = nearest[i]!;
    if (d > 0 && Number.isFinite(d)) logs.push(Math.log(d));
  }
  if (logs.length === 0) return 0;
  const sorted = Float64Array.from(logs).sort();
  const bulk = sorted.subarray(upperModeStart(sorted));
  const m = median(bulk);
  const s = 1.4826 * median(Float64Array.from(bulk, (x) => Math.abs(x - m)).sort());
  return Math.exp(m - Math.max(3 * s, Math.LN2));
}

/** Where the upper mode starts in sorted values: the Otsu split if it passes the separation test, else 0. */
function upperModeStart(sorted: Float64Array): number {
  const n = sorted.length;
  const minUpper = Math.max(2, Math.ceil(0.1 * n));
  if (n < 2 + minUpper) return 0;
  const prefix = new Float64Array(n + 1);
  const prefixSquares = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = prefix[i]! + sorted[i]!;
    prefixSquares[i + 1] = prefixSquares[i]! + sorted[i]! ** 2;
  }
  let best = -1;
  let bestScore = -Infinity;
  // Lower class [0, split), upper class [split, n).
  for (let split = 2; split <= n - minUpper; split++) {
    if (sorted[split] === sorted[split - 1]) continue;
    const meanLow = prefix[split]! / split;
    const meanHigh = (prefix[n]! - prefix[split]!) / (n - split);
    const score = split * (n - split) * (meanHigh - meanLow) ** 2;
    if (score > bestScore) [best, bestScore] = [split, score];
  }
  if (best < 0) return 0;
  const stats = (from: number, to: number) => {
    const count = to - from;
    const mean = (prefix[to]! - prefix[from]!) / count;
    return { mean, variance: Math.max(0, (prefixSquares[to]! - prefixSquares[from]!) / count - mean * mean) };
  };
  const low = stats(0, best);
  const high = stats(best, n);
  const separation = (Math.SQRT2 * (high.mean - low.mean)) / Math.sqrt(low.variance + high.variance || Number.MIN_VALUE);
  return separation > MIN_SEPARATION ? best : 0;
}

/** Median of already sorted values. */
function median(sorted: Float64Array): number {
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
