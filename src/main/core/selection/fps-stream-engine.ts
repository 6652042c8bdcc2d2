import type { DistanceKernel } from './distance-kernel';
import { farthestFromMean } from './farthest-from-mean';
import type { PruneStats } from './fps-tree-engine';
import { argmax } from './argmax';

const CANDIDATE = 1;
const CENTER = 2;

/**
 * Exact greedy furthest-point sampling by one streamed full step per
 * insertion and no pruning tree: the second phase of FpsEngine
 * (fps-engine.ts) where a sample shows the tree would not pay
 * (tree-decision.ts), as on uniform-like data, where every bound is too
 * loose to skip a row and reaching rows through the tree costs more than
 * reading them all in order.
 *
 * Min-distances are kept by row in the engine's own array; a step runs the
 * kernel's updateAll over every row on the kernel's `mind` (inside the SIMD
 * module's memory, where updateAll reads them, split over two threads at
 * large sizes) and copies them back. They are copied in only where another
 * user of `mind` (the first phase's passes, a clone of this engine) wrote
 * there since this engine's last step (kernel.mindOwner): copying into the
 * module's shared memory is several times slower than copying out of it,
 * and would cost a large share of each step. While the engine owns `mind`,
 * its own changes between steps (a center, a row taken out) go to both.
 *
 * Results are those of the tree engine, bit for bit: the same distance
 * function and min-update (updateAll, as in the tree's full step and leaf
 * scan), applied once per center and row (applying a center again leaves a
 * minimum unchanged), and the argmax with ties to the lowest row.
 */
export class StreamEngine {
  readonly kernel: DistanceKernel;
  readonly stats: PruneStats;
  /** Per row OUT / CANDIDATE / CENTER (taken from the first phase, not copied). */
  private readonly state: Uint8Array;
  /** Per row: exact squared min-distance over every center (Infinity before the first, −1 off the candidates). */
  private readonly mind: Float32Array;
  private top = -1;
  private candidateCount: number;
  private centers: number;
  private startCache: number | null = null;
  /** Kept for the interface the first phase hands over (the tree's path policy); a stream engine has one path. */
  fullStepShare: number | undefined;

  private constructor(kernel: DistanceKernel, state: Uint8Array, mind: Float32Array, stats: PruneStats, centers: number, candidateCount: number) {
    this.kernel = kernel;
    this.state = state;
    this.mind = mind;
    this.stats = stats;
    this.centers = centers;
    this.candidateCount = candidateCount;
  }

  /**
   * Takes over from the first phase: `state` and `bounds` by row (taken, not
   * copied; each candidate's bound is its min-distance over some of the
   * centers), and `centers` in insertion order, of which the first `applied`
   * are in every bound already; the others are streamed over every row now.
   */
  static resume(kernel: DistanceKernel, state: Uint8Array, bounds: Float32Array, centers: ArrayLike<number>, applied: number, stats: PruneStats): StreamEngine {
    let count = 0;
    for (let i = 0; i < state.length; i++) {
      if (state[i] === CANDIDATE) count++;
      else bounds[i] = -1;
    }
    const engine = new StreamEngine(kernel, state, bounds, stats, centers.length, count);
    for (let j = applied; j < centers.length; j++) engine.step(centers[j]!);
    if (applied >= centers.length) engine.top = argmax(bounds);
    return engine;
  }

  /** An independent copy that shares the kernel (the matrix is never copied). */
  clone(): StreamEngine {
    const copy = new StreamEngine(this.kernel, this.state.slice(), this.mind.slice(), { ...this.stats }, this.centers, this.candidateCount);
    copy.top = this.top;
    copy.startCache = this.startCache;
    copy.fullStepShare = this.fullStepShare;
    return copy;
  }

  /** No pruning tree. */
  get groups(): null {
    return null;
  }

  get centerCount(): number {
    return this.centers;
  }

  get remaining(): number {
    return this.candidateCount;
  }

  isCandidate(row: number): boolean {
    return this.state[row] === CANDIDATE;
  }

  isCenter(row: number): boolean {
    return this.state[row] === CENTER;
  }

  /** Squared distance of a candidate to its nearest center (Infinity before the first center). */
  squaredNovelty(row: number): number {
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate`);
    return this.mind[row]!;
  }

  /** The next pick without taking it: the candidate farthest from every center, lowest row on ties (with no center, the one farthest from the candidates' mean). */
  peek(): { row: number; sq: number } | null {
    if (this.candidateCount === 0) return null;
    if (this.centers === 0) return { row: this.startRow(), sq: Infinity };
    return this.top < 0 ? null : { row: this.top, sq: this.mind[this.top]! };
  }

  /** The covering radius (largest candidate distance to its nearest center); Infinity with no center, 0 with no candidate. */
  coveringRadius(): number {
    if (this.candidateCount === 0) return 0;
    if (this.centers === 0) return Infinity;
    return this.top < 0 ? 0 : Math.sqrt(this.mind[this.top]!);
  }

  /** Makes a candidate a center (a pick, a label, a skip); returns its squared novelty before. */
  insert(row: number): number {
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate (already a center or outside the pool)`);
    const novelty = this.mind[row]!;
    this.stats.insertions++;
    this.stats.bruteEvaluations += this.candidateCount;
    this.state[row] = CENTER;
    this.leave(row);
    this.candidateCount--;
    this.centers++;
    this.step(row);
    return novelty;
  }

  /** Takes a candidate out of the pool (excluded). Returns false for a center: the caller must rebuild. */
  remove(row: number): boolean {
    const state = this.state[row];
    if (state === CENTER) return false;
    if (state !== CANDIDATE) return true;
    this.state[row] = 0;
    this.leave(row);
    this.candidateCount--;
    this.startCache = null;
    if (row === this.top) this.top = argmax(this.mind);
    return true;
  }

  /** Takes a row off the candidates' min-distances (−1), in the kernel's `mind` too while this engine owns it. */
  private leave(row: number): void {
    this.mind[row] = -1;
    if (this.kernel.mindOwner === this) this.kernel.mind[row] = -1;
  }

  /** One streamed pass of a center over every row (the kernel's updateAll on the min-distances in its `mind`, copied there unless this engine's already are). */
  private step(center: number): void {
    const { kernel, mind, stats } = this;
    if (kernel.mindOwner !== this) {
      kernel.mind.set(mind);
      kernel.mindOwner = this;
    }
    this.top = kernel.updateAll(center, 0, kernel.count);
    mind.set(kernel.mind);
    stats.fullSteps++;
    stats.pointEvaluations += this.candidateCount;
  }

  private startRow(): number {
    if (this.startCache !== null) return this.startCache;
    this.startCache = farthestFromMean(this.kernel, (i) => this.state[i] === CANDIDATE);
    return this.startCache;
  }
}
