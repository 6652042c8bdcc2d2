import { ClusterHeap } from './cluster-heap';
import type { DistanceKernel } from './distance-kernel';

const OUT = 0;
const CANDIDATE = 1;
const CENTER = 2;
/** Absolute slack of the pruning tests, so an exact zero radius never passes by rounding. */
const TAU = 1e-30;
const EMPTY = new Int32Array(0);

/** How much work pruning saved: evaluations done against what one full step per insertion would cost. */
export interface PruneStats {
  insertions: number;
  /** Point-to-center distances computed while scanning clusters. */
  pointEvaluations: number;
  /** Center-to-center distances computed to find the clusters to scan. */
  centerEvaluations: number;
  /** What an unpruned update would have computed: the candidates at each insertion. */
  bruteEvaluations: number;
}

/** Scratch shared by an engine and its clones (one thread, one operation at a time). */
interface Scratch {
  stay: Int32Array;
  moved: Int32Array;
}

/**
 * Exact greedy furthest-point sampling with triangle-inequality pruning.
 *
 * Every center owns a cluster: the candidates nearest to it, with the largest
 * member distance r_a. When a new center c arrives, a cluster a can only lose
 * members to c if d(a, c) < 2·r_a (a member i with d(a,c) ≥ 2 r_a has
 * d(i,c) ≥ d(a,c) − d(i,a) ≥ r_a ≥ d(i,a)), so every other cluster is skipped
 * without computing a single member distance. The next pick is the top of a
 * heap of clusters keyed by their farthest member.
 *
 * Finding the clusters near c without measuring c against every center uses
 * epochs: an epoch starts at radius R0 (the covering radius then) and ends
 * when the covering radius drops to R0/2. At its start every center s gets
 * `near[s]`, the centers within 4·R0, and every candidate remembers its owner
 * then (its epoch owner, within R0). Centers added during the epoch are listed
 * under the epoch owner of their row. A new center c with epoch owner q can
 * only affect clusters a with d(a,c) < 2R ≤ 2R0; those are q's near centers or
 * centers created under them (d(q, epoch owner of a) ≤ R0 + 2R0 + R0). The
 * next epoch's near lists (4·R0/2 = 2·R0) are found the same way from the old
 * ones, so no step ever compares against all centers.
 *
 * Pruning never changes a result: distances are float32 with a fixed rounding
 * order, and every test carries a relative margin (a few hundred ulps × dim)
 * wider than the rounding of any computed distance, so a skipped cluster is
 * one whose members' computed distances could not have dropped. Property tests
 * check the order and novelties against an unpruned brute force, bit for bit.
 *
 * Rows are the kernel's rows; the caller keeps rows in ascending sample id so
 * that "lowest row" is "lowest sample id" for ties.
 */
export class FpsEngine {
  readonly kernel: DistanceKernel;
  readonly stats: PruneStats;
  private readonly margin: number;
  private readonly scratch: Scratch;
  private state: Uint8Array;
  /** Squared distance of each candidate to its nearest center. */
  private mind: Float32Array;
  private owner: Int32Array;
  private epochOwner: Int32Array;
  private candidateCount: number;
  private startCache: number | null = null;

  private slotRow: number[] = [];
  private members: Int32Array[] = [];
  private topSq: number[] = [];
  private topRow: number[] = [];
  private version: number[] = [];
  private slotEpochOwner: number[] = [];
  private near: Int32Array[] = [];
  private children: number[][] = [];
  private epochStart = 0;
  private epochRadius = Infinity;
  private heap = new ClusterHeap();
  private movedCount = 0;
  private readonly isCurrent = (slot: number, version: number) => this.version[slot] === version;

  private constructor(kernel: DistanceKernel, state: Uint8Array, scratch: Scratch, stats: PruneStats) {
    const n = kernel.count;
    this.kernel = kernel;
    this.state = state;
    this.scratch = scratch;
    this.stats = stats;
    this.mind = new Float32Array(n);
    this.owner = new Int32Array(n);
    this.epochOwner = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) if (state[i] === CANDIDATE) count++;
    this.candidateCount = count;
    this.margin = (kernel.dim + 8) * 2 ** -20;
  }

  /** An engine with no centers; `inPool(row)` false leaves a row out (excluded samples). */
  static create(kernel: DistanceKernel, inPool?: (row: number) => boolean): FpsEngine {
    const state = new Uint8Array(kernel.count);
    for (let i = 0; i < kernel.count; i++) state[i] = !inPool || inPool(i) ? CANDIDATE : OUT;
    const scratch = { stay: new Int32Array(kernel.count), moved: new Int32Array(kernel.count) };
    return new FpsEngine(kernel, state, scratch, { insertions: 0, pointEvaluations: 0, centerEvaluations: 0, bruteEvaluations: 0 });
  }

  /** An independent copy that shares the kernel (the matrix is never copied). */
  clone(): FpsEngine {
    const copy = new FpsEngine(this.kernel, this.state.slice(), this.scratch, { ...this.stats });
    copy.mind.set(this.mind);
    copy.owner.set(this.owner);
    copy.epochOwner.set(this.epochOwner);
    copy.candidateCount = this.candidateCount;
    copy.startCache = this.startCache;
    // Member and near lists are replaced, never mutated, so clones may share them.
    copy.slotRow = this.slotRow.slice();
    copy.members = this.members.slice();
    copy.topSq = this.topSq.slice();
    copy.topRow = this.topRow.slice();
    copy.version = this.version.slice();
    copy.slotEpochOwner = this.slotEpochOwner.slice();
    copy.near = this.near.slice();
    copy.children = this.children.map((c) => c.slice());
    copy.epochStart = this.epochStart;
    copy.epochRadius = this.epochRadius;
    copy.heap = this.heap.clone();
    return copy;
  }

  get centerCount(): number {
    return this.slotRow.length;
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
    return this.slotRow.length === 0 ? Infinity : this.mind[row]!;
  }

  /**
   * The next pick without taking it: the candidate farthest from every center,
   * lowest row on ties. With no center yet, the documented start: the candidate
   * farthest from the mean of the candidates (float64), lowest row on ties.
   */
  peek(): { row: number; sq: number } | null {
    if (this.candidateCount === 0) return null;
    if (this.slotRow.length === 0) return { row: this.startRow(), sq: Infinity };
    const top = this.heap.top(this.isCurrent);
    return top ? { row: top.row, sq: top.sq } : null;
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
    if (this.slotRow.length === 0) return this.candidateCount > 0 ? Infinity : 0;
    const top = this.heap.top(this.isCurrent);
    return top ? Math.sqrt(top.sq) : 0;
  }

  /** Makes a candidate a center (a pick, a label, a skip); returns its squared novelty before. */
  insert(row: number): number {
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate (already a center or outside the pool)`);
    this.stats.insertions++;
    this.stats.bruteEvaluations += this.candidateCount;
    this.state[row] = CENTER;
    this.candidateCount--;
    if (this.slotRow.length === 0) return this.insertFirst(row);
    const novelty = this.mind[row]!;
    const [candidates, squared] = this.nearbyCenters(row, this.epochOwner[row]!);
    const slot = this.addSlot(row, this.epochOwner[row]!);
    const ownerSlot = this.owner[row]!;
    let sawOwner = false;
    this.movedCount = 0;
    for (let j = 0; j < candidates.length; j++) {
      const a = candidates[j]!;
      if (a === ownerSlot) {
        sawOwner = true;
        this.scan(a, row, slot);
        continue;
      }
      const top = this.topSq[a]!;
      if (top <= 0) continue;
      if (Math.sqrt(squared[j]!) < 2 * Math.sqrt(top) * (1 + this.margin) + TAU) this.scan(a, row, slot);
    }
    // By the epoch bound the owner is always among the candidates; scanning it regardless keeps a bug from going unnoticed as a wrong order.
    if (!sawOwner) this.scan(ownerSlot, row, slot);
    // Sorted rows keep every scan moving forward through the matrix (random order costs several times more per row).
    this.members[slot] = this.scratch.moved.slice(0, this.movedCount).sort();
    this.refreshTop(slot);
    this.maybeNewEpoch();
    return novelty;
  }

  /** Takes a candidate out of the pool (excluded). Returns false for a center: the caller must rebuild. */
  remove(row: number): boolean {
    const state = this.state[row];
    if (state === CENTER) return false;
    if (state === OUT) return true;
    this.state[row] = OUT;
    this.candidateCount--;
    this.startCache = null;
    if (this.slotRow.length === 0) return true;
    const a = this.owner[row]!;
    this.members[a] = this.members[a]!.filter((i) => i !== row);
    if (this.topRow[a] === row) this.refreshTop(a);
    return true;
  }

  private insertFirst(row: number): number {
    const { kernel } = this;
    let m = 0;
    for (let i = 0; i < kernel.count; i++) if (this.state[i] === CANDIDATE) kernel.listIndex[m++] = i;
    kernel.distancesToList(row, m);
    this.stats.pointEvaluations += m;
    const list = kernel.listIndex.slice(0, m);
    for (let j = 0; j < m; j++) {
      const i = list[j]!;
      this.mind[i] = kernel.listOut[j]!;
      this.owner[i] = 0;
      this.epochOwner[i] = 0;
    }
    this.addSlot(row, 0);
    this.members[0] = list;
    this.refreshTop(0);
    this.near = [Int32Array.of(0)];
    this.children = [[]];
    this.epochStart = 1;
    this.epochRadius = this.topSq[0]! > 0 ? Math.sqrt(this.topSq[0]!) : 0;
    return Infinity;
  }

  private addSlot(row: number, epochOwner: number): number {
    const slot = this.slotRow.length;
    this.slotRow.push(row);
    this.members.push(EMPTY);
    this.topSq.push(-1);
    this.topRow.push(-1);
    this.version.push(0);
    this.slotEpochOwner.push(epochOwner);
    if (slot > 0) this.children[epochOwner]!.push(slot);
    return slot;
  }

  /** Centers that may be within 2·R0 of `row` (see the class comment), with their squared distances to it. */
  private nearbyCenters(row: number, epochOwner: number): [number[], Float32Array] {
    const slots: number[] = [];
    for (const q of this.near[epochOwner]!) {
      slots.push(q);
      for (const child of this.children[q]!) slots.push(child);
    }
    return [slots, this.distancesToSlots(row, slots)];
  }

  private distancesToSlots(row: number, slots: number[]): Float32Array {
    const { kernel } = this;
    for (let j = 0; j < slots.length; j++) kernel.listIndex[j] = this.slotRow[slots[j]!]!;
    kernel.distancesToList(row, slots.length);
    this.stats.centerEvaluations += slots.length;
    return kernel.listOut.slice(0, slots.length);
  }

  /** Moves the members of cluster a that are nearer to the new center into its slot. */
  private scan(a: number, center: number, slot: number): void {
    const { kernel, scratch } = this;
    const list = this.members[a]!;
    const len = list.length;
    if (len === 0) return;
    kernel.listIndex.set(list);
    kernel.distancesToList(center, len);
    this.stats.pointEvaluations += len;
    const out = kernel.listOut;
    let stay = 0;
    let bestSq = -1;
    let bestRow = -1;
    for (let j = 0; j < len; j++) {
      const i = list[j]!;
      if (this.state[i] !== CANDIDATE) continue;
      const s = out[j]!;
      const m = this.mind[i]!;
      if (s < m) {
        this.mind[i] = s;
        this.owner[i] = slot;
        scratch.moved[this.movedCount++] = i;
      } else {
        scratch.stay[stay++] = i;
        if (m > bestSq || (m === bestSq && i < bestRow)) {
          bestSq = m;
          bestRow = i;
        }
      }
    }
    if (stay === len) return;
    this.members[a] = scratch.stay.slice(0, stay);
    this.setTop(a, bestSq, bestRow);
  }

  private refreshTop(a: number): void {
    let bestSq = -1;
    let bestRow = -1;
    for (const i of this.members[a]!) {
      const m = this.mind[i]!;
      if (m > bestSq || (m === bestSq && i < bestRow)) {
        bestSq = m;
        bestRow = i;
      }
    }
    this.setTop(a, bestSq, bestRow);
  }

  private setTop(a: number, sq: number, row: number): void {
    this.topSq[a] = sq;
    this.topRow[a] = row;
    this.version[a]!++;
    if (row >= 0) this.heap.push(sq, row, a, this.version[a]!);
  }

  private maybeNewEpoch(): void {
    const top = this.heap.top(this.isCurrent);
    if (!top || top.sq <= 0) return;
    const radius = Math.sqrt(top.sq);
    if (radius <= this.epochRadius / 2) this.newEpoch(radius);
  }

  /** Starts an epoch at radius R: near lists at 4R, built from the old ones (4R ≤ 2·R0 lies inside what they cover). */
  private newEpoch(radius: number): void {
    const k = this.slotRow.length;
    const limit = 4 * radius * (1 + 4 * this.margin) + TAU;
    const near: Int32Array[] = new Array<Int32Array>(k);
    for (let s = 0; s < k; s++) {
      const e = s < this.epochStart ? s : this.slotEpochOwner[s]!;
      const [slots, squared] = this.nearbyCenters(this.slotRow[s]!, e);
      const kept: number[] = [];
      for (let j = 0; j < slots.length; j++) if (Math.sqrt(squared[j]!) <= limit) kept.push(slots[j]!);
      near[s] = Int32Array.from(kept);
    }
    this.near = near;
    this.children = Array.from({ length: k }, () => []);
    this.slotEpochOwner = Array.from({ length: k }, (_, s) => s);
    this.epochStart = k;
    this.epochRadius = radius;
    for (let i = 0; i < this.kernel.count; i++) if (this.state[i] === CANDIDATE) this.epochOwner[i] = this.owner[i]!;
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
    for (let k = 0, o = i * dim; k < dim; k++) mean[k]! += x[o + k]!;
  }
  if (n === 0) return -1;
  for (let k = 0; k < dim; k++) mean[k]! /= n;
  let best = -1;
  let bestRow = -1;
  for (let i = 0; i < count; i++) {
    if (!include(i)) continue;
    let s = 0;
    for (let k = 0, o = i * dim; k < dim; k++) {
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
