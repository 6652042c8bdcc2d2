import type { DistanceKernel } from './distance-kernel';
import { pointGroups, type PointGroups } from './point-groups';
import { farthestFromMean } from './farthest-from-mean';
import { project } from './principal-subspace';

/** Relative slack on the subspace bound (of the center's and the node's distances from the subspace mean): far wider than its float64 rounding. */
const SUBSPACE_SLACK = 1e-5;

const OUT = 0;
const CANDIDATE = 1;
const CENTER = 2;

/** How much work pruning saved: evaluations done against what one full step per insertion would cost. */
export interface PruneStats {
  insertions: number;
  /** Point-to-center distances computed while scanning leaves. */
  pointEvaluations: number;
  /** Node-reference-to-center distances computed to decide which nodes to open. */
  centerEvaluations: number;
  /** What an unpruned update would have computed: the candidates at each insertion. */
  bruteEvaluations: number;
  /** Tree nodes skipped whole after one distance, and the leaves (groups) under them. */
  nodesSkipped: number;
  groupsSkipped: number;
  /** Points skipped by their own bound inside scanned leaves. */
  pointsSkipped: number;
  /** Streamed passes over every row: insertions done by the full step instead of the tree, and the first phase's passes (their distances count in pointEvaluations). */
  fullSteps: number;
  /** Times the first phase (fps-engine.ts) chose its hot rows again. */
  hotRefreshes: number;
}

export interface FpsEngineOptions {
  /** Rows per leaf of the pruning tree (default about √N, 8..32); fixed by the first engine on a kernel. */
  groupSize?: number;
  /** See TreeEngine.fullStepShare (default FULL_STEP_SHARE). */
  fullStepShare?: number;
  /** Share of the rows the first phase works on (fps-engine.ts; default HOT_SHARE, at most 1/32); 0 starts with the tree. */
  hotShare?: number;
  /** Whether the first phase hands over to the pruning tree: 'auto' (default) where a sample shows it pays (tree-decision.ts), 'always', or 'never' (the streamed step throughout). Any choice gives the same results. */
  tree?: 'auto' | 'always' | 'never';
}

/**
 * Share of all rows that an insertion may expect to reach through the tree
 * before it takes the streamed full step instead (see TreeEngine: the rows
 * scanned since the previous insertion, or the subtrees a walk of the top of
 * the tree leaves open). A row reached through the tree (its bounds, then a
 * gathered vector) costs several times a streamed row, but the tree still
 * prunes part of them. Tuned on the bench's data (`npm run bench -- fps`):
 * neighbouring shares give the same latent-like figures within the noise;
 * uniform data takes the full step throughout with any of them.
 */
export const FULL_STEP_SHARE = 0.5;
/**
 * The top of the walk that decides the path goes down to nodes of at most
 * N / FRONTIER_NODES rows: at most about 2 × FRONTIER_NODES node tests
 * (a small share of a full step at large N), and deep enough that the rows
 * under the nodes left open are close to those the tree would reach (a much
 * shallower walk sent many latent-like insertions to the full step and made
 * them slower than the tree alone; measured by `npm run bench -- fps`).
 */
const FRONTIER_NODES = 4096;
/**
 * A run of full steps goes back to the slot layout and the tree's maxima to
 * decide the path again after 1, 2, 4… insertions, at most this many (a
 * round trip costs about what two full steps save).
 */
const ROW_RECHECK = 16;

/**
 * Exact greedy furthest-point sampling with triangle-inequality pruning over
 * a tree of balls (point-groups.ts), evaluated lazily: the second phase of
 * FpsEngine (fps-engine.ts), or the whole order with hotShare 0.
 *
 * Every tree node v has a reference row r_v and radius ρ_v ≥ d(r_v, i) for
 * its rows, and the engine keeps M_v, an upper bound on the current squared
 * min-distances of its candidates (exact where nothing is pending under v,
 * with the lowest row holding it). A center c cannot lower a min-distance
 * under v when d(c, r_v) − ρ_v ≥ √M_v (one distance, none when v shares
 * its parent's reference), or when the node's subspace box proves the same
 * (point-groups.ts): with the center's coordinates y_c and distance e_c from
 * the principal subspace, d(c, i)² ≥ dist(y_c, box)² + dist(e_c, [e_min,
 * e_max])², minus a slack for rounding. A leaf is scanned by the kernel's
 * fused scanSlots in one pass over its slots: a row is skipped, before its
 * vector is read, when |d(c, r_g) − d(i, r_g)| ≥ its own min-distance, or
 * when the same subspace bound taken on the row's own coordinates
 * (kernel.slotCoords) proves it; the others get their distance and
 * min-update, and the pass returns the leaf's new maximum.
 *
 * Lazy evaluation. A new center is not pushed through the tree when it is
 * inserted: it joins the root's queue of pending centers. Only the next
 * pick has to be exact, so the engine pushes queues down just where the
 * largest bound lies (explore): a node tests each queued center against its
 * bound M_v, drops those that cannot reach it, and forwards the others to
 * both children's queues; a leaf scans them. Stale bounds are upper bounds
 * (min-distances only fall), so a subtree whose bound is below the exact
 * maximum found elsewhere never needs its pending centers at all. On
 * latent-like data this is the whole gain: the first thousands of picks are
 * outliers far from everything, every one of them lowers the min-distances
 * of rows near the subspace a little (no bound can prove otherwise: all
 * outliers are about equally far), yet those rows stay below the outliers'
 * min-distances, so their centers wait in queues (several times faster than
 * applying every center at once: `npm run bench -- fps` with `--hot-share 0`).
 * A node whose bound ties the best exact maximum is explored first (a lower
 * row may hold it). Applying a center twice or in another order gives the same minimum,
 * so results never depend on when a queue is emptied.
 *
 * Pruning never changes a result: distances are float32 with one fixed
 * rounding order (the kernel's), every bound carries a relative margin (a few
 * hundred ulps × dim) wider than the rounding of any computed distance, so a
 * skipped point is one whose computed distance to c could not be below its
 * current min-distance; the min-distances are therefore exactly those of the
 * unpruned loop, bit for bit. The subspace bound is a bound on the exact
 * distance between the float32 vectors: its own slack (SUBSPACE_SLACK of
 * the vectors' distances from the subspace mean) covers the float64
 * projection and the float32 storage of the rows' and centers' coordinates,
 * and the same margin as above then covers the kernel's rounding. Property
 * tests check order and novelties against an unpruned brute force, for both
 * kernels and every path policy.
 *
 * Two paths. Where nothing prunes (uniform data: every leaf holds a
 * min-distance near the top), reaching the rows through the tree costs more
 * than reading everything: a row reached through a leaf is a gather (its
 * bounds, then its vector wherever it lies, since the matrix stays in row
 * order for the other strategies), several times a streamed row at large N.
 * Such insertions take the streamed full step instead: when
 * the rows scanned since the previous insertion exceed fullStepShare of all
 * rows (FULL_STEP_SHARE), and, coming back from full steps, when a walk of
 * the top of the tree (nodes down to about N / 4096 rows, FRONTIER_NODES)
 * leaves subtrees holding more than that share open for the new center.
 * The choice only affects speed; property tests force each path and switch
 * between them at random insertions.
 *
 * Min-distances live by slot in the kernel (kernel.slotMind, inside the
 * SIMD module's memory, where the scan reads them): engines sharing a kernel
 * (clones) each keep a private copy and swap it in before their next scan.
 * A full step needs them in row order instead: reaching slot-ordered ones
 * from a row-order pass scatters 4 bytes per row over the whole array, which
 * made the step markedly slower than the plain one at large N. So a run of full steps works in
 * row mode: every pending center is applied first (the queues emptied), the
 * min-distances are copied once to kernel.rowMind (row order), each step is
 * the plain kernel.fullStepRows (updateAll: the same distance function and
 * min-update as the leaf scan, so the values are bit for bit those of the
 * tree path; its argmax, lowest row on ties, is the next pick), and after 1,
 * 2, 4… (at most ROW_RECHECK) insertions they go back to slot order with
 * every node's maximum recomputed (one O(N) + O(nodes) pass), where the walk
 * decides the path again. Anything else (remove, clone, another engine
 * taking the kernel's arrays) leaves row mode first.
 *
 * Rows are the kernel's rows; the caller keeps rows in ascending sample id so
 * that "lowest row" is "lowest sample id" for ties.
 */
export class TreeEngine {
  readonly kernel: DistanceKernel;
  readonly stats: PruneStats;
  readonly groups: PointGroups;
  private readonly margin: number;
  private readonly lo: number;
  private readonly hi: number;
  private readonly shrink: number;
  private state: Uint8Array;
  /** Squared distance of each slot's row to its nearest center (Infinity before the first center, −1 for a non-candidate): kernel.slotMind while this engine owns it, else `own`. */
  private mind: Float32Array;
  private readonly own: Float32Array;
  /** Per tree node: bound on its candidates' min-distances (−1: no candidate), the lowest row holding it. */
  private nodeMax: Float64Array;
  private nodeArg: Int32Array;
  /** Per tree node: whether the row nodeArg leads to may still fall (a queue on its way), and whether any queue is under it. */
  private stale: Uint8Array;
  private pendingBelow: Uint8Array;
  /** Per tree node: pending centers as triples (center number, reference row it was measured against, that distance), or null. */
  private queues: (number[] | null)[];
  /** Emptied queue arrays, used again: a deep order empties and fills millions of them, and allocating each kept the collector busy. */
  private readonly spareQueues: number[][] = [];
  /** Every center inserted so far, by number: its row, and its subspace coordinates (k, then distances from the subspace and its mean; float32). */
  private centerRow: Int32Array;
  private centerY: Float32Array;
  private readonly stride: number;
  /** The center whose coordinates `centerCoords` (float64) holds, −1 for none. */
  private loaded = -1;
  private readonly centerCoords: Float64Array;
  private candidateCount: number;
  private centers = 0;
  private startCache: number | null = null;
  /**
   * An insertion takes the streamed full step when the rows scanned since the
   * previous one, or (coming back from full steps) the subtrees a walk of the
   * top of the tree leaves open (see FRONTIER_NODES), exceed this share of
   * the rows (0: whenever a row was reached; Infinity: never). Any value
   * gives the same results; tests switch it between insertions.
   */
  fullStepShare: number;
  /** Slots scanned since the last insertion (the lazy path's cost). */
  private scanned = 0;
  /** Whether the next insertion decides its path by the walk (after row mode, and at the start) rather than by `scanned`. */
  private walkNext = true;
  /** Nodes of at most this many rows end the walk that decides the path. */
  private readonly frontierRows: number;
  /**
   * Row mode: during a run of full steps the min-distances live in
   * kernel.rowMind (row order) and the next pick is rowTop; slotMind and the
   * tree's maxima are stale until leaveRowMode, and no queue is pending.
   * Only the owner of the kernel's arrays is ever in row mode.
   */
  private rowMode = false;
  private rowTop = -1;
  /** Insertions in this row-mode run, and how many before the next recheck. */
  private rowRun = 0;
  private rowRecheck = 1;

  private constructor(kernel: DistanceKernel, groups: PointGroups, state: Uint8Array, stats: PruneStats, fullStepShare: number) {
    this.kernel = kernel;
    this.fullStepShare = fullStepShare;
    this.frontierRows = Math.ceil(kernel.count / FRONTIER_NODES);
    this.groups = groups;
    this.state = state;
    this.stats = stats;
    const n = kernel.count;
    this.own = new Float32Array(n);
    this.mind = this.own;
    this.nodeMax = new Float64Array(groups.nodeCount);
    this.nodeArg = new Int32Array(groups.nodeCount);
    this.stale = new Uint8Array(groups.nodeCount);
    this.pendingBelow = new Uint8Array(groups.nodeCount);
    this.queues = new Array<number[] | null>(groups.nodeCount).fill(null);
    this.stride = groups.subspace ? groups.subspace.k + 2 : 0;
    this.centerRow = new Int32Array(64);
    this.centerY = new Float32Array(64 * this.stride);
    this.centerCoords = new Float64Array(this.stride);
    let count = 0;
    for (let i = 0; i < n; i++) if (state[i] === CANDIDATE) count++;
    this.candidateCount = count;
    this.margin = (kernel.dim + 8) * 2 ** -20;
    this.lo = 1 - this.margin;
    this.hi = 1 + this.margin;
    this.shrink = 1 - 2 * this.margin;
  }

  /**
   * An engine that takes over from the first phase (fps-engine.ts), or
   * starts with nothing (no centers, bounds Infinity): `state` by row
   * (taken, not copied), `bounds` by row (each candidate's min-distance over
   * some of the centers, an upper bound), and `centers` in insertion order,
   * of which the first `applied` are already in every bound; the others
   * wait in the root's queue like any new center.
   */
  static resume(kernel: DistanceKernel, state: Uint8Array, bounds: Float32Array, centers: ArrayLike<number>, applied: number, stats: PruneStats, options: FpsEngineOptions = {}): TreeEngine {
    const groups = pointGroups(kernel, options.groupSize);
    const engine = new TreeEngine(kernel, groups, state, stats, options.fullStepShare ?? FULL_STEP_SHARE);
    const { rows } = groups;
    for (let s = 0; s < kernel.count; s++) engine.own[s] = state[rows[s]!] === CANDIDATE ? bounds[rows[s]!]! : -1;
    engine.recomputeMaxima();
    for (let j = 0; j < centers.length; j++) {
      const c = engine.addCenter(centers[j]!);
      if (j >= applied) engine.enqueue(0, c, -1, 0);
    }
    return engine;
  }

  /** An independent copy that shares the kernel and the tree (the matrix is never copied). */
  clone(): TreeEngine {
    this.leaveRowMode();
    const copy = new TreeEngine(this.kernel, this.groups, this.state.slice(), { ...this.stats }, this.fullStepShare);
    copy.own.set(this.mind);
    copy.nodeMax.set(this.nodeMax);
    copy.nodeArg.set(this.nodeArg);
    copy.stale.set(this.stale);
    copy.pendingBelow.set(this.pendingBelow);
    copy.queues = this.queues.map((q) => (q ? q.slice() : null));
    copy.centerRow = this.centerRow.slice();
    copy.centerY = this.centerY.slice();
    copy.centers = this.centers;
    copy.startCache = this.startCache;
    copy.scanned = this.scanned;
    copy.walkNext = this.walkNext;
    return copy;
  }

  get centerCount(): number {
    return this.centers;
  }

  /** Candidates left (in the pool, not centers). */
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
    if (this.rowMode) return this.kernel.rowMind[row]!;
    this.settleRow(row);
    return this.mind[this.kernel.slotOf[row]!]!;
  }

  /**
   * The next pick without taking it: the candidate farthest from every center,
   * lowest row on ties. With no center yet, the documented start: the candidate
   * farthest from the mean of the candidates (float64), lowest row on ties.
   */
  peek(): { row: number; sq: number } | null {
    if (this.candidateCount === 0) return null;
    if (this.centers === 0) return { row: this.startRow(), sq: Infinity };
    if (this.rowMode) return this.rowTop < 0 ? null : { row: this.rowTop, sq: this.kernel.rowMind[this.rowTop]! };
    this.settleTop();
    const row = this.nodeArg[0]!;
    return row < 0 ? null : { row, sq: this.nodeMax[0]! };
  }

  /** The covering radius (largest candidate distance to its nearest center); Infinity with no center, 0 with no candidate. */
  coveringRadius(): number {
    if (this.candidateCount === 0) return 0;
    if (this.centers === 0) return Infinity;
    if (!this.rowMode) this.settleTop();
    const top = this.rowMode ? (this.rowTop < 0 ? -1 : this.kernel.rowMind[this.rowTop]!) : this.nodeMax[0]!;
    return top < 0 ? 0 : Math.sqrt(top);
  }

  /** Makes a candidate a center (a pick, a label, a skip); returns its squared novelty before. */
  insert(row: number): number {
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate (already a center or outside the pool)`);
    this.activate();
    const { kernel, stats, mind } = this;
    if (!this.rowMode) this.settleRow(row);
    stats.insertions++;
    stats.bruteEvaluations += this.candidateCount;
    const slot = kernel.slotOf[row]!;
    const novelty = this.rowMode ? kernel.rowMind[row]! : mind[slot]!;
    this.state[row] = CENTER;
    mind[slot] = -1;
    kernel.rowMind[row] = -1;
    this.candidateCount--;
    const center = this.addCenter(row);
    if (this.rowMode) {
      if (++this.rowRun < this.rowRecheck) {
        this.fullStep(row);
        return novelty;
      }
      this.leaveRowMode();
      this.rowRecheck = Math.min(2 * this.rowRecheck, ROW_RECHECK);
      this.walkNext = true;
    }
    const share = this.fullStepShare * kernel.count;
    const fullStep = this.walkNext ? this.reachedAtTop(0, center, -1, 0) > share : this.scanned > share;
    this.scanned = 0;
    if (fullStep) {
      // Most rows are within reach: one streamed pass in row order beats reaching them through the tree (a gather per row).
      this.enterRowMode();
      this.fullStep(row);
      return novelty;
    }
    if (this.walkNext) this.rowRecheck = 1;
    this.walkNext = false;
    this.refreshPath(row);
    this.enqueue(0, center, -1, 0);
    return novelty;
  }

  /** Takes a candidate out of the pool (excluded). Returns false for a center: the caller must rebuild. */
  remove(row: number): boolean {
    const state = this.state[row];
    if (state === CENTER) return false;
    if (state === OUT) return true;
    this.leaveRowMode();
    this.state[row] = OUT;
    this.mind[this.kernel.slotOf[row]!] = -1;
    this.candidateCount--;
    this.startCache = null;
    this.refreshPath(row);
    return true;
  }

  /** Numbers a new center and keeps its row and subspace coordinates. */
  private addCenter(row: number): number {
    const c = this.centers++;
    if (c === this.centerRow.length) {
      const rows = new Int32Array(2 * c);
      rows.set(this.centerRow);
      this.centerRow = rows;
      const y = new Float32Array(2 * c * this.stride);
      y.set(this.centerY);
      this.centerY = y;
    }
    this.centerRow[c] = row;
    const { subspace } = this.groups;
    if (subspace) {
      project(subspace, this.kernel.vectors, this.kernel.vectorOffset(row), this.kernel.dim, this.centerCoords);
      this.centerY.set(this.centerCoords, c * this.stride);
      // The float32 values, as every later use will read them.
      this.loaded = -1;
    }
    return c;
  }

  /** Puts center c's coordinates in centerCoords (float64 copies of the stored float32 values). */
  private load(c: number): void {
    if (this.loaded === c) return;
    const { stride, centerCoords, centerY } = this;
    for (let r = 0, o = c * stride; r < stride; r++) centerCoords[r] = centerY[o + r]!;
    this.loaded = c;
  }

  /** Adds center c to node v's queue, measured against `ref` at distance d (ref −1: not measured). */
  private enqueue(v: number, c: number, ref: number, d: number): void {
    const q = this.queues[v];
    if (q) q.push(c, ref, d);
    else {
      const fresh = this.spareQueues.pop() ?? [];
      fresh.push(c, ref, d);
      this.queues[v] = fresh;
    }
    this.stale[v] = 1;
    this.pendingBelow[v] = 1;
  }

  /** Makes the root's maximum and its row exact: explores where the largest bound lies. */
  private settleTop(): void {
    if (!this.stale[0]) return;
    this.activate();
    this.explore(0);
  }

  /**
   * Empties v's queue, then follows the larger bound downwards until the
   * row holding v's maximum is exact (a bound that ties an exact maximum is
   * explored: its own may be equal on a lower row).
   */
  private explore(v: number): void {
    if (this.queues[v]) this.push(v);
    if (this.groups.left[v]! < 0) return;
    for (;;) {
      const w = this.combine(v);
      if (!this.stale[v]) return;
      this.explore(w);
    }
  }

  /** Makes one row's min-distance exact: empties the queues from the root down to its leaf. */
  private settleRow(row: number): void {
    const { groups } = this;
    const leaf = groups.nodeOfLeaf[groups.groupOf[row]!]!;
    if (!this.pendingBelow[0]) return;
    this.activate();
    const path: number[] = [];
    for (let v = leaf; v >= 0; v = groups.parent[v]!) path.push(v);
    for (let j = path.length - 1; j >= 0; j--) if (this.queues[path[j]!]) this.push(path[j]!);
    for (let j = 1; j < path.length; j++) this.combine(path[j]!);
  }

  /** Applies every pending center under v (before a full step, which needs every min-distance exact). */
  private flush(v: number): void {
    if (!this.pendingBelow[v]) return;
    if (this.queues[v]) this.push(v);
    const a = this.groups.left[v]!;
    if (a < 0) return;
    this.flush(a);
    this.flush(this.groups.right[v]!);
    this.combine(v);
  }

  /**
   * Empties node v's queue: a center its bounds skip is dropped, the others
   * go to both children's queues, or, at a leaf, are scanned (each scan
   * lowers the leaf's maximum, which tightens the next center's test).
   *
   * An inner node also caps its children's bounds: every row i under v will
   * have a min-distance of at most d(i, c) ≤ d(c, r_v) + ρ_v for each center
   * c it forwards (with the margins of the other bounds, widened), a bound
   * that needs no row. It keeps lazy evaluation lazy where rows' bounds are
   * stale and loose: on latent-like data, the outlier centers handed to the
   * tree at the first phase's end (without its refresh) make leaves near the
   * subspace look like candidates until their queues are scanned; the cap
   * settles many at the level of the clusters (fewer distances and less time
   * for the picks after the hand-over: `npm run bench -- fps`). Skipping a queued center
   * against a capped bound is sound: the cap bounds the min-distance after
   * the whole queue, a center is skipped only where it cannot go below it,
   * and the center the cap came from is never skipped (its lower bound
   * stays below the cap by the margins, and a cap is never 0).
   */
  private push(v: number): void {
    const q = this.queues[v]!;
    this.queues[v] = null;
    const { groups, hi } = this;
    const a = groups.left[v]!;
    const ref = groups.nodeRef[v]!;
    const radius = groups.nodeRadius[v]!;
    let cap = Infinity;
    for (let j = 0; j < q.length; j += 3) {
      const c = q[j]!;
      const d = this.reach(v, c, q[j + 1]!, q[j + 2]!);
      if (d < 0) continue;
      if (a < 0) this.scanLeaf(v, c, d);
      else {
        this.enqueue(a, c, ref, d);
        this.enqueue(groups.right[v]!, c, ref, d);
        const up = (d + radius) * hi * hi;
        if (up * up * hi < cap) cap = up * up * hi;
      }
    }
    q.length = 0;
    this.spareQueues.push(q);
    if (a < 0) {
      this.stale[v] = this.pendingBelow[v] = 0;
      return;
    }
    // Never a cap of 0: a bound of 0 reads as "every min-distance already 0" and would skip the very center that makes them so.
    if (!(cap > 0)) return;
    const b = groups.right[v]!;
    if (this.nodeMax[a]! > cap) this.nodeMax[a] = cap;
    if (this.nodeMax[b]! > cap) this.nodeMax[b] = cap;
  }

  /**
   * Rows under the subtrees left open by a walk of the top of the tree for
   * center c (nodes tested as push does, down to nodes of at most
   * frontierRows rows): the estimate of what the tree path would reach.
   */
  private reachedAtTop(v: number, c: number, refParent: number, dParent: number): number {
    const d = this.reach(v, c, refParent, dParent);
    if (d < 0) return 0;
    const { groups } = this;
    if (groups.nodeTo[v]! - groups.nodeFrom[v]! <= this.frontierRows || groups.left[v]! < 0) return groups.nodeTo[v]! - groups.nodeFrom[v]!;
    const ref = groups.nodeRef[v]!;
    return this.reachedAtTop(groups.left[v]!, c, ref, d) + this.reachedAtTop(groups.right[v]!, c, ref, d);
  }

  /**
   * Whether center c can lower a min-distance under node v: −1 when v is
   * skipped whole (its subspace box, or its ball after one distance to its
   * reference, `dParent` when that is `refParent`), else c's distance to
   * v's reference.
   */
  private reach(v: number, c: number, refParent: number, dParent: number): number {
    const { nodeMax, groups, stats } = this;
    const top = nodeMax[v]!;
    if (!(top > 0)) return -1;
    if (groups.subspace && this.subspaceSkips(v, c, top)) {
      stats.nodesSkipped++;
      stats.groupsSkipped += groups.nodeLeaves[v]!;
      return -1;
    }
    const ref = groups.nodeRef[v]!;
    let d = dParent;
    if (ref !== refParent) {
      d = Math.sqrt(this.kernel.squaredDistance(this.centerRow[c]!, ref));
      stats.centerEvaluations++;
    }
    const bound = d * this.lo - groups.nodeRadius[v]! * this.hi;
    if (bound > 0 && bound * bound * this.shrink >= top) {
      stats.nodesSkipped++;
      stats.groupsSkipped += groups.nodeLeaves[v]!;
      return -1;
    }
    return d;
  }

  /** Scans leaf v for center c (at distance d from the leaf's reference) and takes the leaf's new maximum. */
  private scanLeaf(v: number, c: number, d: number): void {
    const { groups, kernel, stats } = this;
    const k1 = groups.subspace ? groups.subspace.k + 1 : 0;
    let slack = 0;
    if (k1 > 0) {
      this.load(c);
      kernel.centerCoords.set(this.centerCoords.subarray(0, k1));
      slack = SUBSPACE_SLACK * (this.centerCoords[k1]! + groups.normMax[v]!);
    }
    const counters = kernel.scanCounters;
    const evaluated = counters[0]!;
    const skipped = counters[1]!;
    const from = groups.nodeFrom[v]!;
    const to = groups.nodeTo[v]!;
    const s = kernel.scanSlots(this.centerRow[c]!, from, to, d, this.margin, this.shrink, k1, slack);
    // Running int32 totals: the difference modulo 2^32 is this scan's count.
    stats.pointEvaluations += (counters[0]! - evaluated) | 0;
    stats.pointsSkipped += (counters[1]! - skipped) | 0;
    this.scanned += to - from;
    this.nodeMax[v] = s < 0 ? -1 : this.mind[s]!;
    this.nodeArg[v] = s < 0 ? -1 : groups.rows[s]!;
  }

  /** A full step in row mode: every row streamed, its min-distance in rowMind. */
  private fullStep(center: number): void {
    this.stats.fullSteps++;
    this.stats.pointEvaluations += this.candidateCount;
    this.rowTop = this.kernel.fullStepRows(center);
  }

  /** Applies every pending center, then copies the min-distances to row order (one gather). */
  private enterRowMode(): void {
    if (this.rowMode) return;
    this.flush(0);
    const { mind } = this;
    const { rowMind, slotOf, count } = this.kernel;
    for (let i = 0; i < count; i++) rowMind[i] = mind[slotOf[i]!]!;
    this.rowMode = true;
    this.rowRun = 0;
  }

  /** Copies the min-distances back to slot order and recomputes every node's maximum. */
  private leaveRowMode(): void {
    if (!this.rowMode) return;
    const { mind } = this;
    const { rowMind, rowAt, count } = this.kernel;
    for (let s = 0; s < count; s++) mind[s] = rowMind[rowAt[s]!]!;
    this.recomputeMaxima();
    this.rowMode = false;
  }

  /** Every node's maximum from the min-distances (no queue pending). */
  private recomputeMaxima(): void {
    const { groups } = this;
    for (let v = groups.nodeCount - 1; v >= 0; v--) {
      if (groups.left[v]! < 0) this.refreshLeaf(v);
      else this.combine(v);
    }
  }

  /** Whether node v's subspace box proves every row of it at least √top from center c (with the kernel's margin). */
  private subspaceSkips(v: number, c: number, top: number): boolean {
    const { boxLo, boxHi, residualMin, residualMax, normMax } = this.groups;
    this.load(c);
    const y = this.centerCoords;
    const k = y.length - 2;
    let gap = 0;
    for (let r = 0, o = v * k; r < k; r++) {
      const t = y[r]!;
      const lo = boxLo[o + r]!;
      const hi = boxHi[o + r]!;
      if (t < lo) gap += (lo - t) * (lo - t);
      else if (t > hi) gap += (t - hi) * (t - hi);
    }
    const e = y[k]!;
    const eLo = residualMin[v]!;
    const eHi = residualMax[v]!;
    if (e < eLo) gap += (eLo - e) * (eLo - e);
    else if (e > eHi) gap += (e - eHi) * (e - eHi);
    const bound = (Math.sqrt(gap) - SUBSPACE_SLACK * (y[k + 1]! + normMax[v]!)) * this.lo;
    return bound > 0 && bound * bound * this.shrink >= top;
  }

  /** Recomputes the leaf holding `row` and every node above it. */
  private refreshPath(row: number): void {
    const { groups } = this;
    let v = groups.nodeOfLeaf[groups.groupOf[row]!]!;
    this.refreshLeaf(v);
    for (v = groups.parent[v]!; v >= 0; v = groups.parent[v]!) this.combine(v);
  }

  /** A leaf's maximum min-distance and its first slot's row (slots ascend by row inside a leaf); a bound while its queue waits. */
  private refreshLeaf(v: number): void {
    const { mind, groups } = this;
    let best = -0.5;
    let at = -1;
    for (let s = groups.nodeFrom[v]!, end = groups.nodeTo[v]!; s < end; s++) {
      const m = mind[s]!;
      if (m > best) {
        best = m;
        at = s;
      }
    }
    this.nodeMax[v] = at < 0 ? -1 : best;
    this.nodeArg[v] = at < 0 ? -1 : groups.rows[at]!;
    this.stale[v] = this.pendingBelow[v] = this.queues[v] ? 1 : 0;
  }

  /**
   * An inner node's bound from its children's: the larger, then the stale
   * one (its own maximum may tie on a lower row), then the lower row.
   * Returns the child it took.
   */
  private combine(v: number): number {
    const { nodeMax, nodeArg, stale, groups } = this;
    const a = groups.left[v]!;
    const b = groups.right[v]!;
    const ma = nodeMax[a]!;
    const mb = nodeMax[b]!;
    const c = mb > ma || (mb === ma && mb >= 0 && (stale[b]! > stale[a]! || (stale[b] === stale[a] && nodeArg[b]! < nodeArg[a]!))) ? b : a;
    nodeMax[v] = nodeMax[c]!;
    nodeArg[v] = nodeArg[c]!;
    const queued = this.queues[v] ? 1 : 0;
    stale[v] = queued | stale[c]!;
    this.pendingBelow[v] = queued | this.pendingBelow[a]! | this.pendingBelow[b]!;
    return c;
  }

  /** Puts this engine's min-distances into the kernel's slotMind (where the scans read them), saving the previous owner's. */
  private activate(): void {
    const { kernel } = this;
    if (kernel.slotMindOwner === this) return;
    const previous = kernel.slotMindOwner;
    if (previous instanceof TreeEngine) {
      previous.leaveRowMode();
      previous.own.set(kernel.slotMind);
      previous.mind = previous.own;
    }
    kernel.slotMind.set(this.own);
    this.mind = kernel.slotMind;
    kernel.slotMindOwner = this;
  }

  private startRow(): number {
    if (this.startCache !== null) return this.startCache;
    this.startCache = farthestFromMean(this.kernel, (i) => this.state[i] === CANDIDATE);
    return this.startCache;
  }
}
