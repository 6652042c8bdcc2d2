import type { DistanceKernel } from './distance-kernel';
import { pointGroups, type PointGroups } from './point-groups';
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
  /** Insertions done by the streamed full step instead of the tree (their distances count in pointEvaluations). */
  fullSteps: number;
}

export interface FpsEngineOptions {
  /** Rows per leaf of the pruning tree (default about √N, 8..32); fixed by the first engine on a kernel. */
  groupSize?: number;
  /** See FpsEngine.fullStepShare (default FULL_STEP_SHARE). */
  fullStepShare?: number;
}

/**
 * Share of all rows that the subtrees left open at the top of the walk may
 * hold before an insertion takes the streamed full step instead of the tree.
 * A row reached through the tree (its bounds, then a gathered vector) costs
 * several times a streamed row, but the open subtrees still prune part of
 * their rows. Tuned on the bench's data at N = 200,000 × 64: 0.3 and 0.6
 * gave the same latent-like figures within the noise (1.6 s CPU for 1,000
 * picks, 47 and 6 full steps); uniform data takes the full step throughout
 * with either.
 */
export const FULL_STEP_SHARE = 0.5;
/**
 * The top of the walk that decides the path goes down to nodes of at most
 * N / FRONTIER_NODES rows: at most about 2 × FRONTIER_NODES node tests
 * (a millisecond, a few percent of a full step at N = 1,000,000), and deep
 * enough that the rows under the nodes left open are close to those the
 * tree would reach (stopping at depth 8 instead sent 307 of the first 1,000
 * insertions on latent-like data at N = 200,000 to the full step, and made
 * them slower than the tree alone; with this depth, 6).
 */
const FRONTIER_NODES = 4096;
/**
 * A run of full steps goes back to the slot layout and the tree's maxima to
 * decide the path again after 1, 2, 4… insertions, at most this many (a
 * round trip costs about 35 ms at N = 1,000,000, two full steps' savings).
 */
const ROW_RECHECK = 16;

/**
 * Exact greedy furthest-point sampling with triangle-inequality pruning over
 * a tree of balls (point-groups.ts).
 *
 * Every tree node v has a reference row r_v and radius ρ_v ≥ d(r_v, i) for
 * its rows, and the engine keeps M_v, the largest current squared
 * min-distance of its candidates (with the lowest such row). A new center c
 * opens the tree from the root: a row i of v has d(c, i) ≥ d(c, r_v) − ρ_v,
 * so when d(c, r_v) − ρ_v ≥ √M_v no min-distance under v can decrease and the
 * whole subtree is skipped after one distance (none when a child shares its
 * parent's reference). Before that distance, the node's subspace box gives
 * another bound for free (point-groups.ts): with the center's coordinates y_c
 * and distance e_c from the principal subspace, d(c, i)² ≥ dist(y_c, box)² +
 * dist(e_c, [e_min, e_max])², minus a slack for rounding; on latent-like data
 * it skips most nodes that the ball cannot (an outlier center, nodes near the
 * subspace). A leaf that is reached is scanned by the kernel's fused
 * scanSlots in one pass over its slots: a row is skipped, before its vector
 * is read, when |d(c, r_g) − d(i, r_g)| ≥ its own min-distance, or when the
 * same subspace bound as the boxes', taken on the row's own coordinates
 * (kernel.slotCoords), proves it;
 * the others get their distance and min-update, and the pass returns the
 * leaf's new maximum. Maxima then go back up the opened nodes, so the next
 * pick is the root's (lowest row on ties).
 *
 * Pruning never changes a result: distances are float32 with one fixed
 * rounding order (the kernel's), every bound carries a relative margin (a few
 * hundred ulps × dim) wider than the rounding of any computed distance, so a
 * skipped point is one whose computed distance to c could not be below its
 * current min-distance; the min-distances are therefore exactly those of the
 * unpruned loop, bit for bit. The subspace bound is a bound on the exact
 * distance between the float32 vectors: its own slack (SUBSPACE_SLACK of
 * the vectors' distances from the subspace mean) covers the float64
 * projection and the float32 storage of the rows' coordinates, and the same
 * margin as above then covers the kernel's rounding. Property tests check
 * order and novelties against an unpruned brute force, for both kernels.
 *
 * Two paths per insertion. The walk first tests the top of the tree (nodes
 * down to about N / 4096 rows, FRONTIER_NODES) and sums the rows of the
 * subtrees it could not skip. Where they exceed fullStepShare of all rows
 * (FULL_STEP_SHARE, 0.5), reaching them through the tree would cost more
 * than reading everything: a row reached through a leaf is a gather (its
 * bounds, then its vector wherever it lies, since the matrix stays in row
 * order for the other strategies), measured at about 10× a streamed row at
 * N = 1,000,000. The insertion then takes the streamed full step; otherwise
 * it descends from the recorded subtrees as above. The choice only affects
 * speed; property tests force each path and switch between them at random
 * insertions.
 *
 * Min-distances live by slot in the kernel (kernel.slotMind, inside the
 * SIMD module's memory, where the scan reads them): engines sharing a kernel
 * (clones) each keep a private copy and swap it in before their next scan.
 * A full step needs them in row order instead: reaching slot-ordered ones
 * from a row-order pass scatters 4 bytes per row over 4 MB, which made the
 * step 1.7× the plain one at N = 1,000,000. So a run of full steps works in
 * row mode: the min-distances are copied once to kernel.rowMind (row order),
 * each step is the plain kernel.fullStepRows (updateAll: the same distance
 * function and min-update as the leaf scan, so the values are bit for bit
 * those of the tree path; its argmax, lowest row on ties, is the next pick),
 * and after 1, 2, 4… (at most ROW_RECHECK) insertions they go back to slot
 * order with every node's maximum recomputed (one O(N) + O(nodes) pass),
 * where the walk decides the path again. Anything else (remove, clone, another
 * engine taking the kernel's arrays) leaves row mode first.
 *
 * Rows are the kernel's rows; the caller keeps rows in ascending sample id so
 * that "lowest row" is "lowest sample id" for ties.
 *
 * Performance (bench/fps-bench.ts, N = 1,000,000 × 64, first 1,000 picks, a
 * loaded 2-core machine, CPU time; the plain full step is 30 ms, 1.19× the
 * memory floor): (a) uniform 40.9 s (every insertion a full step; before
 * this path, over 264 s; with full steps on slot-ordered min-distances,
 * 67.8 s), first 100 5.4 s; (b) latent-like 12–13 s (27–29 full steps, 94%
 * of the distances skipped; the tree alone 17.9 s), first 100 3.0–3.6 s
 * (the tree alone 5.8 s); tree builds 7–8 s.
 * What is left: (a) is at 1.35× the plain step per pick (the per-insertion
 * walk and the periodic return to slot order); the 2% outliers of (b), which
 * no bound separates (their mutual distances concentrate), are scanned at
 * every insertion (from a contiguous copy, see point-groups.ts); the build's
 * float64 projection of every row and partition run in TypeScript; both
 * cores for the full steps (the module's memory is not shared, so a second
 * thread needs a shared memory and a worker per kernel).
 */
export class FpsEngine {
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
  /** Per tree node: largest candidate min-distance (−1: no candidate), and its lowest row. */
  private nodeMax: Float64Array;
  private nodeArg: Int32Array;
  /** The center being inserted: subspace coordinates, distance from the subspace, distance from its mean. */
  private readonly centerCoords: Float64Array;
  private candidateCount: number;
  private centers = 0;
  private startCache: number | null = null;
  /**
   * An insertion takes the streamed full step when the subtrees its walk
   * leaves open at the top (see FRONTIER_NODES) hold more than this share of the
   * rows (0: every insertion that reaches a row; Infinity: never). Any value
   * gives the same results; tests switch it between insertions.
   */
  fullStepShare: number;
  /** The walk's open subtrees at the top (node, its reference row, the center's distance to it), and the inner nodes opened above them (preorder). */
  private readonly frontierNode: Int32Array;
  private readonly frontierRef: Int32Array;
  private readonly frontierD: Float64Array;
  private frontierCount = 0;
  /** Nodes of at most this many rows end the top of the walk. */
  private readonly frontierRows: number;
  private readonly opened: Int32Array;
  private openedCount = 0;
  /**
   * Row mode: during a run of full steps the min-distances live in
   * kernel.rowMind (row order) and the next pick is rowTop; slotMind and the
   * tree's maxima are stale until leaveRowMode. Only the owner of the
   * kernel's arrays is ever in row mode.
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
    // The open subtrees are disjoint, and so are the children of the opened nodes: at most nodeCount of each.
    this.frontierNode = new Int32Array(groups.nodeCount);
    this.frontierRef = new Int32Array(groups.nodeCount);
    this.frontierD = new Float64Array(groups.nodeCount);
    this.opened = new Int32Array(groups.nodeCount);
    this.groups = groups;
    this.state = state;
    this.stats = stats;
    const n = kernel.count;
    this.own = new Float32Array(n);
    this.mind = this.own;
    this.nodeMax = new Float64Array(groups.nodeCount);
    this.nodeArg = new Int32Array(groups.nodeCount);
    this.centerCoords = new Float64Array((groups.subspace?.k ?? 0) + 2);
    let count = 0;
    for (let i = 0; i < n; i++) if (state[i] === CANDIDATE) count++;
    this.candidateCount = count;
    this.margin = (kernel.dim + 8) * 2 ** -20;
    this.lo = 1 - this.margin;
    this.hi = 1 + this.margin;
    this.shrink = 1 - 2 * this.margin;
  }

  /** An engine with no centers; `inPool(row)` false leaves a row out (excluded samples). */
  static create(kernel: DistanceKernel, inPool?: (row: number) => boolean, options: FpsEngineOptions = {}): FpsEngine {
    const state = new Uint8Array(kernel.count);
    for (let i = 0; i < kernel.count; i++) state[i] = !inPool || inPool(i) ? CANDIDATE : OUT;
    const groups = pointGroups(kernel, options.groupSize);
    const stats = { insertions: 0, pointEvaluations: 0, centerEvaluations: 0, bruteEvaluations: 0, nodesSkipped: 0, groupsSkipped: 0, pointsSkipped: 0, fullSteps: 0 };
    const engine = new FpsEngine(kernel, groups, state, stats, options.fullStepShare ?? FULL_STEP_SHARE);
    const { rows } = groups;
    for (let s = 0; s < kernel.count; s++) engine.own[s] = state[rows[s]!] === CANDIDATE ? Infinity : -1;
    for (let v = groups.nodeCount - 1; v >= 0; v--) {
      if (groups.left[v]! < 0) engine.refreshLeaf(v);
      else engine.combine(v);
    }
    return engine;
  }

  /** An independent copy that shares the kernel and the tree (the matrix is never copied). */
  clone(): FpsEngine {
    this.leaveRowMode();
    const copy = new FpsEngine(this.kernel, this.groups, this.state.slice(), { ...this.stats }, this.fullStepShare);
    copy.own.set(this.mind);
    copy.nodeMax.set(this.nodeMax);
    copy.nodeArg.set(this.nodeArg);
    copy.centers = this.centers;
    copy.startCache = this.startCache;
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
    return this.rowMode ? this.kernel.rowMind[row]! : this.mind[this.kernel.slotOf[row]!]!;
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
    const row = this.nodeArg[0]!;
    return row < 0 ? null : { row, sq: this.nodeMax[0]! };
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
    if (this.candidateCount === 0) return 0;
    if (this.centers === 0) return Infinity;
    const top = this.rowMode ? (this.rowTop < 0 ? -1 : this.kernel.rowMind[this.rowTop]!) : this.nodeMax[0]!;
    return top < 0 ? 0 : Math.sqrt(top);
  }

  /** Makes a candidate a center (a pick, a label, a skip); returns its squared novelty before. */
  insert(row: number): number {
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate (already a center or outside the pool)`);
    this.activate();
    const { kernel, stats, mind } = this;
    stats.insertions++;
    stats.bruteEvaluations += this.candidateCount;
    const slot = kernel.slotOf[row]!;
    const novelty = this.rowMode ? kernel.rowMind[row]! : mind[slot]!;
    this.state[row] = CENTER;
    mind[slot] = -1;
    kernel.rowMind[row] = -1;
    this.candidateCount--;
    this.centers++;
    if (this.rowMode) {
      if (++this.rowRun < this.rowRecheck) {
        this.fullStep(row);
        return novelty;
      }
      this.leaveRowMode();
      this.rowRecheck = Math.min(2 * this.rowRecheck, ROW_RECHECK);
    }
    const { subspace } = this.groups;
    if (subspace) {
      project(subspace, kernel.vectors, kernel.vectorOffset(row), kernel.dim, this.centerCoords);
      kernel.centerCoords.set(this.centerCoords.subarray(0, subspace.k + 1));
    }
    this.frontierCount = 0;
    this.openedCount = 0;
    this.walkTop(0, row, -1, 0);
    const { frontierNode, frontierRef, frontierD, groups } = this;
    let reached = 0;
    for (let f = 0; f < this.frontierCount; f++) reached += groups.nodeTo[frontierNode[f]!]! - groups.nodeFrom[frontierNode[f]!]!;
    if (reached > this.fullStepShare * kernel.count) {
      // Most rows are within reach: one streamed pass in row order beats reaching them through the tree (a gather per row).
      this.enterRowMode();
      this.fullStep(row);
      return novelty;
    } else {
      const counters = kernel.scanCounters;
      const evaluated = counters[0]!;
      const skipped = counters[1]!;
      this.rowRecheck = 1;
      for (let f = 0; f < this.frontierCount; f++) this.descend(frontierNode[f]!, row, frontierRef[f]!, frontierD[f]!);
      // Running int32 totals: the difference modulo 2^32 is this insertion's count.
      stats.pointEvaluations += (counters[0]! - evaluated) | 0;
      stats.pointsSkipped += (counters[1]! - skipped) | 0;
    }
    for (let j = this.openedCount - 1; j >= 0; j--) this.combine(this.opened[j]!);
    this.refreshPath(row);
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

  /**
   * The top of the walk for a new center: tests nodes exactly as open does,
   * down to nodes of at most frontierRows rows (or leaves), and records the
   * subtrees left open there instead of descending, so that insert can
   * choose the path from the rows they hold.
   */
  private walkTop(v: number, center: number, refParent: number, dParent: number): void {
    const d = this.reach(v, center, refParent, dParent);
    if (d < 0) return;
    const { groups } = this;
    const ref = groups.nodeRef[v]!;
    if (groups.nodeTo[v]! - groups.nodeFrom[v]! <= this.frontierRows || groups.left[v]! < 0) {
      const f = this.frontierCount++;
      this.frontierNode[f] = v;
      this.frontierRef[f] = ref;
      this.frontierD[f] = d;
      return;
    }
    this.opened[this.openedCount++] = v;
    this.walkTop(groups.left[v]!, center, ref, d);
    this.walkTop(groups.right[v]!, center, ref, d);
  }

  /** Lowers the min-distances under node v for the new center unless its bounds skip it whole. */
  private open(v: number, center: number, refParent: number, dParent: number): void {
    const d = this.reach(v, center, refParent, dParent);
    if (d >= 0) this.descend(v, center, this.groups.nodeRef[v]!, d);
  }

  /**
   * Whether the new center can lower a min-distance under node v: −1 when
   * v is skipped whole (its subspace box, or its ball after one distance to
   * its reference, `dParent` when that is the parent's reference
   * `refParent`), else the center's distance to v's reference.
   */
  private reach(v: number, center: number, refParent: number, dParent: number): number {
    const { nodeMax, groups, stats } = this;
    const top = nodeMax[v]!;
    if (!(top > 0)) return -1;
    if (groups.subspace && this.subspaceSkips(v, top)) {
      stats.nodesSkipped++;
      stats.groupsSkipped += groups.nodeLeaves[v]!;
      return -1;
    }
    const ref = groups.nodeRef[v]!;
    let d = dParent;
    if (ref !== refParent) {
      d = Math.sqrt(this.kernel.squaredDistance(center, ref));
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

  /** Scans leaf v, or opens its children and takes the better of their maxima; `d` is the center's distance to v's reference `ref`. */
  private descend(v: number, center: number, ref: number, d: number): void {
    const { nodeMax, groups } = this;
    const a = groups.left[v]!;
    if (a < 0) {
      const k1 = groups.subspace ? groups.subspace.k + 1 : 0;
      const slack = k1 > 0 ? SUBSPACE_SLACK * (this.centerCoords[k1]! + groups.normMax[v]!) : 0;
      const s = this.kernel.scanSlots(center, groups.nodeFrom[v]!, groups.nodeTo[v]!, d, this.margin, this.shrink, k1, slack);
      nodeMax[v] = s < 0 ? -1 : this.mind[s]!;
      this.nodeArg[v] = s < 0 ? -1 : groups.rows[s]!;
      return;
    }
    this.open(a, center, ref, d);
    this.open(groups.right[v]!, center, ref, d);
    this.combine(v);
  }

  /** A full step in row mode: every row streamed, its min-distance in rowMind. */
  private fullStep(center: number): void {
    this.stats.fullSteps++;
    this.stats.pointEvaluations += this.candidateCount;
    this.rowTop = this.kernel.fullStepRows(center);
  }

  /** Copies the min-distances to row order (one gather, about 15 ms at N = 1,000,000). */
  private enterRowMode(): void {
    if (this.rowMode) return;
    const { mind } = this;
    const { rowMind, slotOf, count } = this.kernel;
    for (let i = 0; i < count; i++) rowMind[i] = mind[slotOf[i]!]!;
    this.rowMode = true;
    this.rowRun = 0;
  }

  /** Copies the min-distances back to slot order and recomputes every node's maximum. */
  private leaveRowMode(): void {
    if (!this.rowMode) return;
    const { mind, groups } = this;
    const { rowMind, rowAt, count } = this.kernel;
    for (let s = 0; s < count; s++) mind[s] = rowMind[rowAt[s]!]!;
    for (let v = groups.nodeCount - 1; v >= 0; v--) {
      if (groups.left[v]! < 0) this.refreshLeaf(v);
      else this.combine(v);
    }
    this.rowMode = false;
  }

  /** Whether node v's subspace box proves every row of it at least √top from the center (with the kernel's margin). */
  private subspaceSkips(v: number, top: number): boolean {
    const { boxLo, boxHi, residualMin, residualMax, normMax } = this.groups;
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

  /** A leaf's maximum min-distance and its first slot's row (slots ascend by row inside a leaf). */
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
  }

  /** An inner node's maximum: the larger of its children's, lower row on ties. */
  private combine(v: number): void {
    const { nodeMax, nodeArg, groups } = this;
    const a = groups.left[v]!;
    const b = groups.right[v]!;
    const ma = nodeMax[a]!;
    const mb = nodeMax[b]!;
    const c = mb > ma || (mb === ma && mb >= 0 && nodeArg[b]! < nodeArg[a]!) ? b : a;
    nodeMax[v] = nodeMax[c]!;
    nodeArg[v] = nodeArg[c]!;
  }

  /** Puts this engine's min-distances into the kernel's slotMind (where the scans read them), saving the previous owner's. */
  private activate(): void {
    const { kernel } = this;
    if (kernel.slotMindOwner === this) return;
    const previous = kernel.slotMindOwner;
    if (previous instanceof FpsEngine) {
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

/** The row farthest from the mean of the rows `include` accepts (float64; lowest row on ties), −1 if none. */
export function farthestFromMean(kernel: DistanceKernel, include: (row: number) => boolean): number {
  const { vectors: x, dim, count } = kernel;
  const mean = new Float64Array(dim);
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    n++;
    for (let k = 0, o = kernel.vectorOffset(i); k < dim; k++) mean[k]! += x[o + k]!;
  }
  if (n === 0) return -1;
  for (let k = 0; k < dim; k++) mean[k]! /= n;
  let best = -1;
  let bestRow = -1;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    let s = 0;
    for (let k = 0, o = kernel.vectorOffset(i); k < dim; k++) {
      const t = x[o + k]! - mean[k]!;
      s += t * t;
    }
    if (s > best) {
      best = s;
      bestRow = i;
    }
  }
  return bestRow;
}
