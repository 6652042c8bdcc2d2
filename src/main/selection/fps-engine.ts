import type { DistanceKernel } from './distance-kernel';
import { pointGroups, type PointGroups } from './point-groups';

const OUT = 0;
const CANDIDATE = 1;
const CENTER = 2;

/** How much work pruning saved: evaluations done against what one full step per insertion would cost. */
export interface PruneStats {
  insertions: number;
  /** Point-to-center distances computed while scanning groups. */
  pointEvaluations: number;
  /** Group-reference-to-center distances computed to decide which groups to scan. */
  centerEvaluations: number;
  /** What an unpruned update would have computed: the candidates at each insertion. */
  bruteEvaluations: number;
  /** Groups skipped whole, and points skipped by their own bound inside scanned groups. */
  groupsSkipped: number;
  pointsSkipped: number;
  /** Super-groups (runs of groups) skipped whole after one distance. */
  superGroupsSkipped: number;
}

export interface FpsEngineOptions {
  /** Rows per static group (default about √N, 8..32). */
  groupSize?: number;
}

/** Scratch shared by an engine and its clones (one thread, one operation at a time). */
interface Scratch {
  dc: Float64Array;
  dirty: Uint8Array;
  dirtyList: Int32Array;
  /** Groups to scan at this insertion. */
  scan: Int32Array;
  superDirty: Uint8Array;
  /** Rows to evaluate, for a sweep in row order when they are many. */
  mark: Uint8Array;
}

/** Above this share of the rows, the rows to evaluate are put in row order (a forward stream through the matrix beats a gather). */
const SWEEP_SHARE = 1 / 16;

/**
 * Exact greedy furthest-point sampling with triangle-inequality pruning over
 * static groups (point-groups.ts).
 *
 * Every group g has a reference row r_g and radius ρ_g ≥ d(r_g, i) for its
 * members, and the engine keeps M_g, the largest current squared min-distance
 * of its candidates (with the lowest such row). For a new center c, a member
 * i has d(c, i) ≥ d(c, r_g) − ρ_g, so when d(c, r_g) − ρ_g ≥ √M_g no member's
 * min-distance can decrease and the whole group is skipped after one distance
 * (to its reference). Inside a scanned group a member is skipped, before its
 * vector is read, when |d(c, r_g) − d(i, r_g)| ≥ its own min-distance. The
 * next pick is the best of the groups' maxima (lowest row on ties).
 *
 * Pruning never changes a result: distances are float32 with one fixed
 * rounding order (the kernel's), every bound carries a relative margin (a few
 * hundred ulps × dim) wider than the rounding of any computed distance, so a
 * skipped point is one whose computed distance to c could not be below its
 * current min-distance; the min-distances are therefore exactly those of the
 * unpruned loop, bit for bit. Property tests check order and novelties
 * against an unpruned brute force.
 *
 * Rows are the kernel's rows; the caller keeps rows in ascending sample id so
 * that "lowest row" is "lowest sample id" for ties.
 *
 * Performance (bench/fps-bench.ts, N = 1,000,000 × 64 latent-like): the
 * bounds skip about 90% of the distances over the first 1,000 picks, but a
 * group's rows are scattered through the matrix, so each remaining distance
 * is a gather (several times the cost of a streamed one), and the per-point
 * bound runs in TypeScript. Not done yet: store the matrix in group order
 * (a row map in the kernel) so scans stream, a fused wasm scan (bound,
 * distance, min-update and running argmax in one pass over `mind` in wasm
 * memory), and a deeper hierarchy than groups + super-groups (super-groups
 * of √groups rows rarely skip at 1,000 picks).
 */
export class FpsEngine {
  readonly kernel: DistanceKernel;
  readonly stats: PruneStats;
  readonly groups: PointGroups;
  private readonly margin: number;
  private readonly scratch: Scratch;
  private state: Uint8Array;
  /** Squared distance of each candidate to its nearest center (Infinity before the first center). */
  private mind: Float32Array;
  /** Per group: largest candidate min-distance (−1: no candidate), and its lowest row. */
  private groupMax: Float64Array;
  private groupArg: Int32Array;
  /** Per super-group: the best of its groups' maxima, and its row. */
  private superMax: Float64Array;
  private superArg: Int32Array;
  private candidateCount: number;
  private centers = 0;
  private startCache: number | null = null;

  private constructor(kernel: DistanceKernel, groups: PointGroups, state: Uint8Array, scratch: Scratch, stats: PruneStats) {
    this.kernel = kernel;
    this.groups = groups;
    this.state = state;
    this.scratch = scratch;
    this.stats = stats;
    const n = kernel.count;
    this.mind = new Float32Array(n);
    this.groupMax = new Float64Array(groups.count);
    this.groupArg = new Int32Array(groups.count);
    this.superMax = new Float64Array(groups.superCount);
    this.superArg = new Int32Array(groups.superCount);
    let count = 0;
    for (let i = 0; i < n; i++) if (state[i] === CANDIDATE) count++;
    this.candidateCount = count;
    this.margin = (kernel.dim + 8) * 2 ** -20;
  }

  /** An engine with no centers; `inPool(row)` false leaves a row out (excluded samples). */
  static create(kernel: DistanceKernel, inPool?: (row: number) => boolean, options: FpsEngineOptions = {}): FpsEngine {
    const state = new Uint8Array(kernel.count);
    for (let i = 0; i < kernel.count; i++) state[i] = !inPool || inPool(i) ? CANDIDATE : OUT;
    const groups = pointGroups(kernel, options.groupSize);
    const scratch = {
      dc: new Float64Array(groups.count),
      dirty: new Uint8Array(groups.count),
      dirtyList: new Int32Array(groups.count),
      scan: new Int32Array(groups.count),
      superDirty: new Uint8Array(groups.superCount),
      mark: new Uint8Array(kernel.count),
    };
    const stats = { insertions: 0, pointEvaluations: 0, centerEvaluations: 0, bruteEvaluations: 0, groupsSkipped: 0, pointsSkipped: 0, superGroupsSkipped: 0 };
    const engine = new FpsEngine(kernel, groups, state, scratch, stats);
    engine.mind.fill(Infinity);
    for (let g = 0; g < groups.count; g++) engine.refreshGroup(g);
    for (let s = 0; s < groups.superCount; s++) engine.refreshSuper(s);
    return engine;
  }

  /** An independent copy that shares the kernel and the groups (the matrix is never copied). */
  clone(): FpsEngine {
    const copy = new FpsEngine(this.kernel, this.groups, this.state.slice(), this.scratch, { ...this.stats });
    copy.mind.set(this.mind);
    copy.groupMax.set(this.groupMax);
    copy.groupArg.set(this.groupArg);
    copy.superMax.set(this.superMax);
    copy.superArg.set(this.superArg);
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
    return this.mind[row]!;
  }

  /**
   * The next pick without taking it: the candidate farthest from every center,
   * lowest row on ties. With no center yet, the documented start: the candidate
   * farthest from the mean of the candidates (float64), lowest row on ties.
   */
  peek(): { row: number; sq: number } | null {
    if (this.candidateCount === 0) return null;
    if (this.centers === 0) return { row: this.startRow(), sq: Infinity };
    const g = this.topGroup();
    return g < 0 ? null : { row: this.groupArg[g]!, sq: this.groupMax[g]! };
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
    const g = this.topGroup();
    return g < 0 ? 0 : Math.sqrt(this.groupMax[g]!);
  }

  /** Makes a candidate a center (a pick, a label, a skip); returns its squared novelty before. */
  insert(row: number): number {
    if (this.state[row] !== CANDIDATE) throw new RangeError(`row ${row} is not a candidate (already a center or outside the pool)`);
    const { kernel, groups, scratch, stats, mind, state, groupMax } = this;
    stats.insertions++;
    stats.bruteEvaluations += this.candidateCount;
    const novelty = mind[row]!;
    state[row] = CENTER;
    this.candidateCount--;
    this.centers++;
    const { listIndex, listOut } = kernel;
    const { dc, dirty, dirtyList, scan, superDirty, mark } = scratch;
    const { superMax } = this;
    const lo = 1 - this.margin;
    const hi = 1 + this.margin;
    const shrink = 1 - 2 * this.margin;
    // Level 2: one distance per super-group that still has a candidate with a positive min-distance (to its reference row).
    let tested = 0;
    for (let s = 0; s < groups.superCount; s++) if (superMax[s]! > 0) listIndex[tested++] = groups.superRef[s]!;
    kernel.distancesToList(row, tested);
    stats.centerEvaluations += tested;
    // Level 1: the groups of the super-groups the new center may reach.
    let scanCount = 0;
    for (let s = 0, j = 0; s < groups.superCount; s++) {
      const top = superMax[s]!;
      if (!(top > 0)) continue;
      const bound = Math.sqrt(listOut[j++]!) * lo - groups.superRadius[s]! * hi;
      if (bound > 0 && bound * bound * shrink >= top) {
        stats.superGroupsSkipped++;
        continue;
      }
      for (let g = groups.superStart[s]!; g < groups.superStart[s + 1]!; g++) if (groupMax[g]! > 0) scan[scanCount++] = g;
    }
    for (let j = 0; j < scanCount; j++) listIndex[j] = groups.ref[scan[j]!]!;
    kernel.distancesToList(row, scanCount);
    stats.centerEvaluations += scanCount;
    for (let j = 0; j < scanCount; j++) dc[scan[j]!] = Math.sqrt(listOut[j]!);
    const { start, rows, dref, radius } = groups;
    let m = 0;
    let dirtyCount = 0;
    let skipped = 0;
    for (let j = 0; j < scanCount; j++) {
      const g = scan[j]!;
      const top = groupMax[g]!;
      const d = dc[g]!;
      const bound = d * lo - radius[g]! * hi;
      if (bound > 0 && bound * bound * shrink >= top) {
        stats.groupsSkipped++;
        continue;
      }
      const before = m;
      for (let k = start[g]!, end = start[g + 1]!; k < end; k++) {
        const i = rows[k]!;
        if (state[i] !== CANDIDATE) continue;
        const own = mind[i]!;
        if (own === 0) continue;
        const r = dref[k]!;
        const b = (d > r ? d - r : r - d) - (d + r) * this.margin;
        if (b > 0 && b * b * shrink >= own) {
          skipped++;
          continue;
        }
        listIndex[m++] = i;
      }
      if (m > before) {
        dirty[g] = 1;
        dirtyList[dirtyCount++] = g;
      }
    }
    stats.pointsSkipped += skipped;
    if (m > kernel.count * SWEEP_SHARE) {
      for (let j = 0; j < m; j++) mark[listIndex[j]!] = 1;
      for (let i = 0, j = 0; j < m; i++) {
        if (mark[i] === 1) {
          mark[i] = 0;
          listIndex[j++] = i;
        }
      }
    }
    kernel.distancesToList(row, m);
    stats.pointEvaluations += m;
    for (let j = 0; j < m; j++) {
      const s = listOut[j]!;
      const i = listIndex[j]!;
      if (s < mind[i]!) mind[i] = s;
    }
    const own = groups.groupOf[row]!;
    if (!dirty[own]) dirtyList[dirtyCount++] = own;
    let superCount = 0;
    for (let j = 0; j < dirtyCount; j++) {
      const g = dirtyList[j]!;
      dirty[g] = 0;
      this.refreshGroup(g);
      const s = groups.superOf[g]!;
      if (!superDirty[s]) {
        superDirty[s] = 1;
        scan[superCount++] = s;
      }
    }
    for (let j = 0; j < superCount; j++) {
      superDirty[scan[j]!] = 0;
      this.refreshSuper(scan[j]!);
    }
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
    const g = this.groups.groupOf[row]!;
    if (this.groupArg[g] === row) {
      this.refreshGroup(g);
      this.refreshSuper(this.groups.superOf[g]!);
    }
    return true;
  }

  /** The group holding the next pick: largest max, lowest row on ties; −1 with no candidate. */
  private topGroup(): number {
    const { superMax, superArg } = this;
    let best = -1;
    let bestRow = -1;
    let at = -1;
    for (let s = 0; s < superMax.length; s++) {
      const v = superMax[s]!;
      if (v > best || (v === best && v >= 0 && superArg[s]! < bestRow)) {
        best = v;
        bestRow = superArg[s]!;
        at = s;
      }
    }
    if (at < 0 || best < 0) return -1;
    const { superStart } = this.groups;
    for (let g = superStart[at]!; g < superStart[at + 1]!; g++) if (this.groupArg[g] === bestRow) return g;
    throw new Error('FPS engine: super-group maximum out of date');
  }

  private refreshSuper(s: number): void {
    const { superStart } = this.groups;
    const { groupMax, groupArg } = this;
    let best = -1;
    let bestRow = -1;
    for (let g = superStart[s]!; g < superStart[s + 1]!; g++) {
      const v = groupMax[g]!;
      if (v > best || (v === best && v >= 0 && groupArg[g]! < bestRow)) {
        best = v;
        bestRow = groupArg[g]!;
      }
    }
    this.superMax[s] = best;
    this.superArg[s] = bestRow;
  }

  private refreshGroup(g: number): void {
    const { start, rows } = this.groups;
    let best = -1;
    let bestRow = -1;
    for (let k = start[g]!, end = start[g + 1]!; k < end; k++) {
      const i = rows[k]!;
      if (this.state[i] !== CANDIDATE) continue;
      const v = this.mind[i]!;
      if (v > best) {
        best = v;
        bestRow = i;
      }
    }
    this.groupMax[g] = best;
    this.groupArg[g] = bestRow;
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
