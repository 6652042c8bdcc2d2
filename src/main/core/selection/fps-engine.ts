import { indexInAscending } from '../../../shared/ascending-search';
import type { DistanceKernel } from './distance-kernel';
import { farthestFromMean } from './farthest-from-mean';
import { StreamEngine } from './fps-stream-engine';
import { TreeEngine, type FpsEngineOptions, type PruneStats } from './fps-tree-engine';
import { treeDecision } from './tree-decision';
import type { PointGroups } from './point-groups';
import { argmax } from './argmax';

export type { FpsEngineOptions, PruneStats } from './fps-tree-engine';

const OUT = 0;
const CANDIDATE = 1;
const CENTER = 2;

/** Default share of the rows the first phase keeps exact (the kernel's hot region holds 1/32). */
export const HOT_SHARE = 1 / 32;
/** A refresh of the hot rows streams this many of the latest centers over every row, */
const REFRESH_CENTERS = 8;
/** and is tried only when the last choice of hot rows served at least this many insertions. */
const REFRESH_AFTER = 64;

/**
 * Exact greedy furthest-point sampling: the queue's engine, in two phases.
 *
 * The first center's distance to every row is one streamed pass. The rows
 * whose distance is among the largest (hotShare of them, HOT_SHARE = 1/32)
 * become the hot rows, copied contiguously into the kernel's hot region;
 * every other (cold) row keeps that distance as a bound, at most the
 * threshold t, the largest cold distance. From then on each insertion
 * updates only the hot rows (a streamed step over N/32 rows), while the
 * largest hot min-distance stays above t: min-distances only fall, so no
 * cold row can be the next pick, and its own min-distance is not needed.
 * When it is (the next pick, a label, a novelty asked for), a cold row's
 * min-distance is computed over the centers it has not seen.
 *
 * This is the tree engine's laziness (fps-tree-engine.ts) with one group
 * and no tree to build: on latent-like data the first picks are the
 * outliers, which lie in the hot rows, and the first picks of the bench
 * take no tree at all, in less time than building the tree alone would
 * take (`npm run bench -- fps`). When the hot maximum
 * falls to t (or below), the latest centers are streamed over every row to
 * tighten the cold bounds and the hot rows are chosen again (refresh); where
 * that no longer pays, the second phase takes over with the cold rows'
 * bounds, the hot rows' exact min-distances and every center after the
 * first: the pruning tree (TreeEngine.resume), those centers waiting in the
 * root's queue, pushed down by the tree's bounds only where needed; or,
 * where a sample of the rows shows that the tree would not pay
 * (tree-decision.ts: uniform-like data, where nothing prunes), no tree and
 * one streamed full step per insertion (StreamEngine.resume), those centers
 * streamed first.
 *
 * Results are those of the tree engine, bit for bit: the same distance
 * function, the same min-updates, ties to the lowest row (the hot rows are
 * kept in ascending row order, and a cold row can never tie the pick: its
 * bound is at most t, below the hot maximum). Property tests compare both
 * phases and their hand-over with an unpruned brute force.
 */
export class FpsEngine {
  readonly kernel: DistanceKernel;
  /** The first phase's statistics, which the tree goes on adding to (a clone's tree keeps its own copy). */
  private readonly ownStats: PruneStats;
  private readonly options: FpsEngineOptions;
  /** The second phase, once the first has ended (null before). */
  private tree: TreeEngine | StreamEngine | null = null;
  private share: number | undefined;
  /** First phase: per row OUT / CANDIDATE / CENTER, and bound (Infinity before the first center; −1 off the candidates). */
  private state: Uint8Array;
  private bounds: Float32Array;
  private centers: number[] = [];
  private candidateCount: number;
  private startCache: number | null = null;
  /** The hot rows (ascending), their min-distances (exact), where the largest is, and t (every cold bound is at most t). */
  private hot = new Int32Array(0);
  private hotMind = new Float32Array(0);
  private hotTop = -1;
  private threshold = Infinity;
  /** Insertions since the hot rows were chosen (a refresh needs REFRESH_AFTER of them to be worth it). */
  private served = 0;

  private constructor(kernel: DistanceKernel, state: Uint8Array, bounds: Float32Array, stats: PruneStats, options: FpsEngineOptions) {
    this.kernel = kernel;
    this.state = state;
    this.bounds = bounds;
    this.ownStats = stats;
    this.options = options;
    let count = 0;
    for (let i = 0; i < state.length; i++) if (state[i] === CANDIDATE) count++;
    this.candidateCount = count;
  }

  /** An engine with no centers; `inPool(row)` false leaves a row out (excluded samples). */
  static create(kernel: DistanceKernel, inPool?: (row: number) => boolean, options: FpsEngineOptions = {}): FpsEngine {
    const hotShare = options.hotShare ?? HOT_SHARE;
    if (!(hotShare >= 0 && hotShare <= HOT_SHARE)) throw new RangeError(`hot share must be from 0 to ${HOT_SHARE}, got ${hotShare}`);
    const state = new Uint8Array(kernel.count).fill(CANDIDATE);
    const bounds = new Float32Array(kernel.count).fill(Infinity);
    // Without a pool test every row is a candidate: the fills above are the whole setup.
    if (inPool) {
      for (let i = 0; i < kernel.count; i++) {
        if (inPool(i)) continue;
        state[i] = OUT;
        bounds[i] = -1;
      }
    }
    const stats = { insertions: 0, pointEvaluations: 0, centerEvaluations: 0, bruteEvaluations: 0, nodesSkipped: 0, groupsSkipped: 0, pointsSkipped: 0, fullSteps: 0, hotRefreshes: 0 };
    const engine = new FpsEngine(kernel, state, bounds, stats, options);
    if (hotShare === 0) engine.tree = options.tree === 'never' ? StreamEngine.resume(kernel, state, bounds, [], 0, stats) : TreeEngine.resume(kernel, state, bounds, [], 0, stats, options);
    return engine;
  }

  /** An independent copy that shares the kernel (and the tree, once built); the matrix is never copied. */
  clone(): FpsEngine {
    const copy = new FpsEngine(this.kernel, this.tree ? this.state : this.state.slice(), this.tree ? this.bounds : this.bounds.slice(), { ...this.stats }, this.options);
    if (this.tree) {
      copy.tree = this.tree.clone();
      return copy;
    }
    copy.share = this.share;
    copy.centers = this.centers.slice();
    copy.startCache = this.startCache;
    copy.hot = this.hot;
    copy.hotMind = this.hotMind.slice();
    copy.hotTop = this.hotTop;
    copy.threshold = this.threshold;
    copy.served = this.served;
    return copy;
  }

  /** How much work pruning saved, over both phases. */
  get stats(): PruneStats {
    return this.tree ? this.tree.stats : this.ownStats;
  }

  /** The pruning tree, once the first phase has handed over to it (null before, and where the streamed step took over instead). */
  get groups(): PointGroups | null {
    return this.tree?.groups ?? null;
  }

  /** Which phase serves the picks now: the first (hot rows), the pruning tree, or the streamed step without a tree. */
  get phase(): 'first' | 'tree' | 'stream' {
    return this.tree === null ? 'first' : this.tree instanceof TreeEngine ? 'tree' : 'stream';
  }

  /** See TreeEngine.fullStepShare (the tree's choice; the first phase's own passes do not depend on it). */
  get fullStepShare(): number | undefined {
    return this.tree ? this.tree.fullStepShare : this.share;
  }

  set fullStepShare(share: number) {
    if (this.tree) this.tree.fullStepShare = share;
    else this.share = share;
  }

  get centerCount(): number {
    return this.tree ? this.tree.centerCount : this.centers.length;
  }

  get remaining(): number {
    return this.tree ? this.tree.remaining : this.candidateCount;
  }

  isCandidate(row: number): boolean {
    return this.tree ? this.tree.isCandidate(row) : this.state[row] === CANDIDATE;
  }

  isCenter(row: number): boolean {
    return this.tree ? this.tree.isCenter(row) : this.state[row] === CENTER;
  }

  /** Squared distance of a candidate to its nearest center (Infinity before the first center). */
  squaredNovelty(row: number): number {
    if (this.tree) return this.tree.squaredNovelty(row);
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate`);
    return this.exact(row);
  }

  /** The next pick without taking it (see TreeEngine.peek). */
  peek(): { row: number; sq: number } | null {
    if (this.tree) return this.tree.peek();
    if (this.candidateCount === 0) return null;
    if (this.centers.length === 0) return { row: this.startRow(), sq: Infinity };
    if (!this.hotHolds() && !this.refresh()) return this.toTree().peek();
    return { row: this.hot[this.hotTop]!, sq: this.hotMind[this.hotTop]! };
  }

  /** Takes the next pick; its novelty is its distance to the nearest center before it (Infinity for a first pick). */
  pick(): { row: number; novelty: number } | null {
    const next = this.peek();
    if (!next) return null;
    this.insert(next.row);
    return { row: next.row, novelty: Math.sqrt(next.sq) };
  }

  /** The covering radius (largest candidate distance to its nearest center); Infinity with no center, 0 with no candidate. */
  coveringRadius(): number {
    if (this.tree) return this.tree.coveringRadius();
    if (this.candidateCount === 0) return 0;
    if (this.centers.length === 0) return Infinity;
    if (!this.hotHolds() && !this.refresh()) return this.toTree().coveringRadius();
    return Math.sqrt(this.hotMind[this.hotTop]!);
  }

  /** Makes a candidate a center (a pick, a label, a skip); returns its squared novelty before. */
  insert(row: number): number {
    if (this.tree) return this.tree.insert(row);
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate (already a center or outside the pool)`);
    const novelty = this.exact(row);
    const { stats } = this;
    stats.insertions++;
    stats.bruteEvaluations += this.candidateCount;
    this.state[row] = CENTER;
    this.bounds[row] = -1;
    this.candidateCount--;
    this.centers.push(row);
    this.served++;
    if (this.centers.length === 1) {
      this.firstPass(row);
      return novelty;
    }
    const j = this.hotIndex(row);
    if (j >= 0) this.hotMind[j] = -1;
    this.hotStep(row);
    return novelty;
  }

  /** Takes a candidate out of the pool (excluded). Returns false for a center: the caller must rebuild. */
  remove(row: number): boolean {
    if (this.tree) return this.tree.remove(row);
    const state = this.state[row];
    if (state === CENTER) return false;
    if (state === OUT) return true;
    this.state[row] = OUT;
    this.bounds[row] = -1;
    this.candidateCount--;
    this.startCache = null;
    const j = this.hotIndex(row);
    if (j >= 0) {
      this.hotMind[j] = -1;
      this.hotTop = argmax(this.hotMind);
    }
    return true;
  }

  /** Whether the next pick is the hot maximum: it exceeds every cold bound. */
  private hotHolds(): boolean {
    return this.hotTop >= 0 && this.hotMind[this.hotTop]! > this.threshold;
  }

  /** The first center: its distance to every row in one streamed pass (the kernel's updateAll on its `mind` array), then the hot rows. */
  private firstPass(center: number): void {
    this.streamCenters([center]);
    this.chooseHot();
  }

  /**
   * When the hot maximum has fallen to t: lowers every bound by the latest
   * REFRESH_CENTERS centers (streamed passes) and chooses the hot rows again,
   * unless the last choice served fewer than REFRESH_AFTER insertions (the
   * cold bounds then sit too close to the hot rows: uniform data), where the
   * tree takes over. Returns whether the hot rows hold the next pick again.
   * On latent-like data the cold rows near the subspace keep their distance
   * to the first center, far above their real min-distances, so without
   * this the first phase ends early and the tree's build and catch-up cost
   * far more (`npm run bench -- fps`).
   */
  private refresh(): boolean {
    if (this.served < REFRESH_AFTER) return false;
    const { hot, hotMind, bounds, centers } = this;
    for (let j = 0; j < hot.length; j++) bounds[hot[j]!] = hotMind[j]!;
    this.stats.hotRefreshes++;
    this.streamCenters(centers.slice(-REFRESH_CENTERS));
    this.chooseHot();
    return this.hotHolds();
  }

  /** Lowers every bound by the given centers' distances (one streamed pass each, the kernel's updateAll on its `mind` array). */
  private streamCenters(list: number[]): void {
    const { kernel, bounds, stats } = this;
    kernel.mindOwner = null;
    kernel.mind.set(bounds);
    for (const c of list) kernel.updateAll(c, 0, kernel.count);
    bounds.set(kernel.mind);
    stats.fullSteps += list.length;
    stats.pointEvaluations += list.length * this.candidateCount;
  }

  /**
   * The hot rows: those with a bound above t, the largest bound that leaves
   * at most hotShare of the rows above it. A row that was hot keeps its
   * exact min-distance; a row that was cold gets its exact one over every
   * center (batched by center over the new rows).
   */
  private chooseHot(): void {
    const { kernel, bounds, state, centers, stats } = this;
    const n = kernel.count;
    const wanted = Math.min(kernel.hotCapacity, Math.ceil((this.options.hotShare ?? HOT_SHARE) * n));
    const candidates = new Float32Array(this.candidateCount);
    let m = 0;
    for (let i = 0; i < n; i++) if (state[i] === CANDIDATE) candidates[m++] = bounds[i]!;
    // t: the (wanted + 1)-th largest bound (every candidate is hot where there are no more than `wanted`).
    this.threshold = m > wanted ? kthSmallest(candidates, m - wanted - 1) : -1;
    const old = this.hot;
    let count = 0;
    for (let i = 0; i < n; i++) if (state[i] === CANDIDATE && bounds[i]! > this.threshold) count++;
    const hot = new Int32Array(count);
    const fresh: number[] = [];
    count = 0;
    for (let i = 0, o = 0; i < n; i++) {
      if (!(state[i] === CANDIDATE && bounds[i]! > this.threshold)) continue;
      while (o < old.length && old[o]! < i) o++;
      if (o >= old.length || old[o] !== i) fresh.push(i);
      hot[count++] = i;
    }
    // The newly hot rows' exact min-distances (the first center is in every bound already).
    const { listIndex, listOut } = kernel;
    listIndex.set(fresh);
    for (let c = 1; c < centers.length; c++) {
      kernel.distancesToList(centers[c]!, fresh.length);
      for (let j = 0; j < fresh.length; j++) if (listOut[j]! < bounds[fresh[j]!]!) bounds[fresh[j]!] = listOut[j]!;
    }
    stats.pointEvaluations += fresh.length * Math.max(0, centers.length - 1);
    this.hot = hot;
    this.hotMind = new Float32Array(count);
    for (let j = 0; j < count; j++) this.hotMind[j] = bounds[hot[j]!]!;
    this.hotTop = argmax(this.hotMind);
    if (kernel.hotOwner === this) kernel.hotOwner = null;
    this.served = 0;
  }

  /** One insertion's step over the hot rows, in the kernel's hot region (loaded there when another engine used it). */
  private hotStep(center: number): void {
    const { kernel, hot, hotMind } = this;
    const m = hot.length;
    if (kernel.hotOwner !== this) {
      kernel.loadHotRows(hot, m);
      kernel.hotOwner = this;
    }
    kernel.hotMind.set(hotMind);
    const top = kernel.hotStep(center, m);
    hotMind.set(kernel.hotMind.subarray(0, m));
    this.hotTop = top;
    this.stats.pointEvaluations += m;
  }

  /** A candidate's exact min-distance: the hot rows keep theirs; a cold row's is its bound against every center after the first (some of them again). */
  private exact(row: number): number {
    const j = this.hotIndex(row);
    if (j >= 0) return this.hotMind[j]!;
    let sq = this.bounds[row]!;
    for (let c = 1; c < this.centers.length; c++) {
      const d = this.kernel.squaredDistance(row, this.centers[c]!);
      if (d < sq) sq = d;
    }
    this.stats.pointEvaluations += Math.max(0, this.centers.length - 1);
    return sq;
  }

  /** Position of a row among the hot rows, −1 if cold. */
  private hotIndex(row: number): number {
    return indexInAscending(this.hot, row);
  }

  /**
   * Ends the first phase: hands every bound and center to the pruning tree
   * (TreeEngine.resume), or to the streamed step (StreamEngine.resume) where
   * the tree would not pay (options.tree, default 'auto': treeDecision).
   */
  private toTree(): TreeEngine | StreamEngine {
    const { hot, hotMind, bounds } = this;
    for (let j = 0; j < hot.length; j++) bounds[hot[j]!] = hotMind[j]!;
    const wanted = this.options.tree ?? 'auto';
    const build = wanted === 'always' || (wanted === 'auto' && treeDecision(this.kernel).pays);
    const tree = build ? TreeEngine.resume(this.kernel, this.state, bounds, this.centers, 1, this.ownStats, this.options) : StreamEngine.resume(this.kernel, this.state, bounds, this.centers, 1, this.ownStats);
    if (this.share !== undefined) tree.fullStepShare = this.share;
    if (this.kernel.hotOwner === this) this.kernel.hotOwner = null;
    this.tree = tree;
    this.hot = new Int32Array(0);
    this.hotMind = new Float32Array(0);
    this.centers = [];
    return tree;
  }

  private startRow(): number {
    if (this.startCache !== null) return this.startCache;
    this.startCache = farthestFromMean(this.kernel, (i) => this.state[i] === CANDIDATE);
    return this.startCache;
  }
}

/** The k-th smallest of values[0..m) (0-based; Hoare selection on the array, which it reorders). */
function kthSmallest(values: Float32Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}
