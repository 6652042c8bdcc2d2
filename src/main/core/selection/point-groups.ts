import { MAX_SUBSPACE_DIM, type DistanceKernel } from './distance-kernel';
import { principalSubspace, projectRows, type PrincipalSubspace } from './principal-subspace';

/**
 * The FPS engine's pruning tree: a binary tree of balls over the rows, built
 * once per kernel (per matrix), whose leaves are the groups of at most `size`
 * rows the engine scans.
 *
 * Partition: a node's rows are split in two at the median of x · (q − p),
 * where p is the row of a small sample farthest from the node's first row and
 * q the sample row farthest from p (the order of d²(i, p) − d²(i, q), the
 * projection on the line p→q), until a node has at most `size` rows. One dot
 * product per row per level (sampling p and q instead of scanning the node
 * for them keeps the build near one pass per level); below the split that
 * sets the rows far from the subspace apart (see below), the dot products
 * are taken on the rows' k subspace coordinates, which describe rows near the
 * subspace almost fully, so the matrix is read only for the outliers.
 *
 * Slots: the leaves, in tree order, each with its rows ascending, define the
 * kernel's slot order (kernel.arrange), so every node is the contiguous slots
 * from..to of the engine's per-slot arrays. Ascending rows inside a leaf make
 * "first slot on ties" the lowest row, and a leaf scan read forward through
 * the matrix.
 *
 * Balls: every node has a reference row and a radius ρ ≥ the kernel's
 * float32 distance (square-rooted in float64) from the reference to each of
 * its rows; for a leaf the reference is the member nearest the leaf's
 * float64 mean and each member's distance to it is kept (kernel.slotRef, by
 * slot) for the engine's per-row bound; an inner node takes one child's
 * reference and the radius d(r_a, r_b) + ρ_b that covers the other child's
 * ball (one distance per node instead of one per row per level). Being sums
 * of the kernel's own distances, the engine can bound their rounding.
 *
 * Subspace boxes: every node also has the box (per coordinate min and max)
 * of its rows' coordinates in a principal subspace (principal-subspace.ts),
 * the range of their distances from that subspace, and the largest distance
 * of a row from the subspace's mean, all aggregated from the children. The
 * engine bounds a center's distance to a node from them, which stays tight
 * where the reference-and-radius bound loses the whole radius (an outlier
 * center far off the subspace, a node near it). For the same reason the root
 * first splits off the rows far from the subspace (more than 4× the median
 * distance, when they are under a quarter of the rows), so that outliers do
 * not share leaves with the rows near it.
 *
 * The tree only affects speed, never a result.
 */
export interface PointGroups {
  /** Largest leaf (rows). */
  readonly size: number;
  /** Leaves (the groups), in slot order: leaf g holds slots start[g] .. start[g + 1]). */
  readonly count: number;
  readonly start: Int32Array;
  /** Row at each slot (the kernel's rowAt). */
  readonly rows: Int32Array;
  /** Distance of the row at each slot to its leaf's reference row (the kernel's slotRef). */
  readonly dref: Float64Array;
  /** Reference row and radius (largest dref) of each leaf. */
  readonly ref: Int32Array;
  readonly radius: Float64Array;
  /** Leaf of each row. */
  readonly groupOf: Int32Array;
  /** Tree nodes, parents before children (node 0 is the root); a node holds slots nodeFrom .. nodeTo. */
  readonly nodeCount: number;
  readonly nodeFrom: Int32Array;
  readonly nodeTo: Int32Array;
  readonly nodeRef: Int32Array;
  readonly nodeRadius: Float64Array;
  /** Children (−1 for a leaf), parent (−1 for the root). */
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly parent: Int32Array;
  /** Leaf index of a node (−1 for an inner node), node of a leaf, and leaves under a node. */
  readonly leafOfNode: Int32Array;
  readonly nodeOfLeaf: Int32Array;
  readonly nodeLeaves: Int32Array;
  /** The subspace of the boxes (null where none was found: the engine then uses the balls alone). */
  readonly subspace: PrincipalSubspace | null;
  /** Per node: box of subspace coordinates (nodeCount × k, min and max), range of distances from the subspace, largest distance from its mean. */
  readonly boxLo: Float64Array;
  readonly boxHi: Float64Array;
  readonly residualMin: Float64Array;
  readonly residualMax: Float64Array;
  readonly normMax: Float64Array;
  /** Distances and dot products computed to build the tree. */
  readonly buildEvaluations: number;
  readonly buildMs: number;
}

const cache = new WeakMap<DistanceKernel, PointGroups>();

/** Default leaf size: about √N, between 8 and 32 rows. */
export function defaultGroupSize(count: number): number {
  return Math.max(8, Math.min(32, Math.round(Math.sqrt(count))));
}

/** Rows sampled per node to choose the split direction. */
const SAMPLE = 64;
/** Dimensions of the subspace boxes. */
const SUBSPACE_DIM = MAX_SUBSPACE_DIM;

/**
 * The tree of a kernel's matrix, built (and the kernel arranged) on first
 * use and cached with the kernel. The slot order is fixed once, so a later
 * call with another size gets the existing tree: any size gives the same
 * results, only the speed differs. The matrix must not change afterwards.
 */
export function pointGroups(kernel: DistanceKernel, size = defaultGroupSize(kernel.count)): PointGroups {
  let groups = cache.get(kernel);
  if (!groups) cache.set(kernel, (groups = buildTree(kernel, size)));
  return groups;
}

function buildTree(kernel: DistanceKernel, size: number): PointGroups {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`group size must be a positive integer, got ${size}`);
  if (kernel.arranged) throw new Error('point groups: the kernel is already arranged by another tree');
  const t0 = performance.now();
  const { count: n, dim } = kernel;
  const subspace = principalSubspace(kernel, SUBSPACE_DIM);
  const k = subspace?.k ?? 0;
  /** Per row: subspace coordinates, distance from the subspace, distance from its mean. */
  const coords = new Float64Array(subspace ? n * (k + 2) : 0);
  if (subspace) projectRows(subspace, kernel.vectors, n, dim, coords);
  const tree = partition(kernel, size, subspace, coords);
  const { order, from, to, left, right, parent, far } = tree;
  const nodeCount = from.length;
  const { start, leafOfNode, nodeOfLeaf } = leavesInSlotOrder(tree, n);
  const count = nodeOfLeaf.length;
  kernel.arrange(order);
  const boxes = subspaceBoxes(kernel, subspace, coords, order, start, nodeOfLeaf, nodeCount);
  // The rows far from the subspace are scanned at nearly every insertion (nothing bounds them away): give them contiguous storage.
  if (far > 0 && n > size) kernel.compactSlots(far, n);
  const balls = leafBalls(kernel, tree, nodeOfLeaf);
  const { nodeRef, nodeRadius, nodeLeaves } = balls;
  const innerEvaluations = coverInnerNodes(kernel, tree, balls, boxes, k);
  return {
    size, count, start, rows: balls.rows, dref: balls.dref, ref: balls.ref, radius: balls.radius, groupOf: balls.groupOf,
    nodeCount,
    nodeFrom: new Int32Array(from),
    nodeTo: new Int32Array(to),
    nodeRef, nodeRadius,
    left: new Int32Array(left),
    right: new Int32Array(right),
    parent: new Int32Array(parent),
    leafOfNode, nodeOfLeaf, nodeLeaves,
    subspace, ...boxes,
    buildEvaluations: tree.evaluations + balls.evaluations + innerEvaluations, buildMs: performance.now() - t0,
  };
}

/** The partition's nodes (parents before children), the rows in leaf order, and the split that sets the far rows apart. */
interface Partition {
  order: Int32Array;
  from: number[];
  to: number[];
  left: number[];
  right: number[];
  parent: number[];
  /** Position where the rows far from the subspace start (≤ 0 where none were set apart). */
  far: number;
  evaluations: number;
}

/** Splits the rows into nodes down to leaves of at most `size` rows (the partition described above). */
function partition(kernel: DistanceKernel, size: number, subspace: PrincipalSubspace | null, coords: Float64Array): Partition {
  const { count: n, dim, listIndex, listOut, vectors: x } = kernel;
  const k = subspace?.k ?? 0;
  const stride = k + 2;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const keys = new Float64Array(n);
  const w = new Float32Array(dim);
  const from: number[] = [];
  const to: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const parent: number[] = [];
  const addNode = (lo: number, hi: number, up: number) => {
    from.push(lo);
    to.push(hi);
    left.push(-1);
    right.push(-1);
    parent.push(up);
    return from.length - 1;
  };
  let evaluations = 0;
  /** The sampled row farthest from `center` (lowest sample position on ties). */
  const farthest = (center: number, m: number): number => {
    kernel.distancesToList(center, m);
    evaluations += m;
    let best = -1;
    let at = 0;
    for (let j = 0; j < m; j++) {
      if (listOut[j]! > best) {
        best = listOut[j]!;
        at = j;
      }
    }
    return listIndex[at]!;
  };
  const pending = n > 0 ? [addNode(0, n, -1)] : [];
  /** Nodes of rows near the subspace: split on their subspace coordinates (k values per row, no matrix reads). */
  const near = new Set<number>();
  const far = subspace ? farSplit(coords, stride, k, order) : -1;
  if (far > 0 && n > size) {
    left[0] = addNode(0, far, 0);
    right[0] = addNode(far, n, 0);
    near.add(left[0]!);
    pending.splice(0, 1, right[0]!, left[0]!);
  }
  /**
   * The rows' subspace coordinates by position in `order` (float32, moved
   * along with the rows by select): the near nodes' split keys then read
   * memory in order instead of gathering each row's coordinates (the gathers
   * were most of the build at large N).
   */
  const placed = new Float32Array(n * k);
  for (let j = 0; j < n && subspace; j++) for (let r = 0, o = order[j]! * stride; r < k; r++) placed[j * k + r] = coords[o + r]!;
  const yw = new Float64Array(k);
  /** The sampled position farthest from position `center` in subspace coordinates. */
  const farthestNear = (center: number, lo: number, m: number, sample: number): number => {
    let best = -1;
    let at = lo;
    for (let j = 0; j < sample; j++) {
      const i = lo + Math.floor((j * m) / sample);
      let s = 0;
      for (let r = 0; r < k; r++) {
        const t = placed[i * k + r]! - placed[center * k + r]!;
        s += t * t;
      }
      if (s > best) {
        best = s;
        at = i;
      }
    }
    return at;
  };
  while (pending.length > 0) {
    const v = pending.pop()!;
    const lo = from[v]!;
    const hi = to[v]!;
    const m = hi - lo;
    if (m <= size) continue;
    const sample = Math.min(SAMPLE, m);
    const fill = () => {
      for (let j = 0; j < sample; j++) listIndex[j] = order[lo + Math.floor((j * m) / sample)]!;
    };
    if (near.has(v)) {
      const p = farthestNear(lo, lo, m, sample);
      const q = farthestNear(p, lo, m, sample);
      for (let r = 0; r < k; r++) yw[r] = placed[q * k + r]! - placed[p * k + r]!;
      for (let j = lo; j < hi; j++) {
        let t = 0;
        for (let r = 0; r < k; r++) t += placed[j * k + r]! * yw[r]!;
        keys[j] = t;
      }
    } else {
      fill();
      const p = farthest(order[lo]!, sample);
      fill();
      const q = farthest(p, sample);
      const po = kernel.vectorOffset(p);
      const qo = kernel.vectorOffset(q);
      for (let t = 0; t < dim; t++) w[t] = x[qo + t]! - x[po + t]!;
      listIndex.set(order.subarray(lo, hi));
      kernel.projectList(w, m);
      evaluations += m;
      for (let j = 0; j < m; j++) keys[lo + j] = listOut[j]!;
    }
    const mid = lo + (m >> 1);
    select(keys, order, placed, k, lo, hi - 1, mid);
    left[v] = addNode(lo, mid, v);
    right[v] = addNode(mid, hi, v);
    if (near.has(v)) {
      near.add(left[v]!);
      near.add(right[v]!);
    }
    pending.push(right[v]!, left[v]!);
  }
  return { order, from, to, left, right, parent, far, evaluations };
}

/** The leaves in slot order (their first slots in `start`), each leaf's rows sorted ascending in `order`. */
function leavesInSlotOrder(tree: Partition, n: number): { start: Int32Array; leafOfNode: Int32Array; nodeOfLeaf: Int32Array } {
  const { order, from, to, left } = tree;
  const nodeCount = from.length;
  const leafNodes: number[] = [];
  for (let v = 0; v < nodeCount; v++) if (left[v] === -1) leafNodes.push(v);
  leafNodes.sort((a, b) => from[a]! - from[b]!);
  const count = leafNodes.length;
  const start = new Int32Array(count + 1);
  const leafOfNode = new Int32Array(nodeCount).fill(-1);
  const nodeOfLeaf = new Int32Array(leafNodes);
  for (let g = 0; g < count; g++) {
    const v = leafNodes[g]!;
    start[g] = from[v]!;
    leafOfNode[v] = g;
    order.subarray(from[v]!, to[v]!).sort();
  }
  start[count] = n;
  return { start, leafOfNode, nodeOfLeaf };
}

type Boxes = Pick<PointGroups, 'boxLo' | 'boxHi' | 'residualMin' | 'residualMax' | 'normMax'>;

/**
 * Each leaf's subspace box, and per slot, for the scan's own subspace bound, the row's coordinates and its distance from
 * the subspace (float32; the engine's slack covers the rounding): one pass that gathers each row's coordinates once.
 */
function subspaceBoxes(
  kernel: DistanceKernel,
  subspace: PrincipalSubspace | null,
  coords: Float64Array,
  order: Int32Array,
  start: Int32Array,
  nodeOfLeaf: Int32Array,
  nodeCount: number,
): Boxes {
  const k = subspace?.k ?? 0;
  const stride = k + 2;
  const count = nodeOfLeaf.length;
  const k1 = k + 1;
  const boxLo = new Float64Array(nodeCount * k).fill(Infinity);
  const boxHi = new Float64Array(nodeCount * k).fill(-Infinity);
  const residualMin = new Float64Array(nodeCount).fill(Infinity);
  const residualMax = new Float64Array(nodeCount);
  const normMax = new Float64Array(nodeCount);
  for (let g = 0; subspace && g < count; g++) {
    const v = nodeOfLeaf[g]!;
    for (let s = start[g]!; s < start[g + 1]!; s++) {
      const c = order[s]! * stride;
      for (let r = 0; r < k; r++) {
        const y = coords[c + r]!;
        kernel.slotCoords[s * k1 + r] = y;
        if (y < boxLo[v * k + r]!) boxLo[v * k + r] = y;
        if (y > boxHi[v * k + r]!) boxHi[v * k + r] = y;
      }
      const e = coords[c + k]!;
      kernel.slotCoords[s * k1 + k] = e;
      if (e < residualMin[v]!) residualMin[v] = e;
      if (e > residualMax[v]!) residualMax[v] = e;
      if (coords[c + k + 1]! > normMax[v]!) normMax[v] = coords[c + k + 1]!;
    }
  }
  return { boxLo, boxHi, residualMin, residualMax, normMax };
}

interface LeafBalls {
  rows: Int32Array;
  dref: Float64Array;
  ref: Int32Array;
  radius: Float64Array;
  groupOf: Int32Array;
  nodeRef: Int32Array;
  nodeRadius: Float64Array;
  nodeLeaves: Int32Array;
  evaluations: number;
}

/** Each leaf's reference (the row nearest its float64 mean) and radius, with every slot's distance to it in kernel.slotRef. */
function leafBalls(kernel: DistanceKernel, tree: Partition, nodeOfLeaf: Int32Array): LeafBalls {
  const { count: n, dim, listOut, vectors: x } = kernel;
  const { from, to } = tree;
  const nodeCount = from.length;
  const count = nodeOfLeaf.length;
  const rows = kernel.rowAt;
  const dref = kernel.slotRef;
  const ref = new Int32Array(count);
  const radius = new Float64Array(count);
  const groupOf = new Int32Array(n);
  const nodeRef = new Int32Array(nodeCount);
  const nodeRadius = new Float64Array(nodeCount);
  const nodeLeaves = new Int32Array(nodeCount);
  let evaluations = 0;
  /** A leaf's float64 mean. */
  const mean = new Float64Array(dim);
  const sq = (row: number) => {
    const o = kernel.vectorOffset(row);
    let s = 0;
    for (let t = 0; t < dim; t++) {
      const e = x[o + t]! - mean[t]!;
      s += e * e;
    }
    return s;
  };
  /** Radius of leaf v about `center`: the largest kernel distance to its slots, each kept in dref. */
  const ball = (v: number, center: number): number => {
    const lo = from[v]!;
    const hi = to[v]!;
    kernel.rangeDistances(center, lo, hi);
    evaluations += hi - lo;
    let r = 0;
    for (let s = lo; s < hi; s++) {
      const d = Math.sqrt(listOut[s - lo]!);
      dref[s] = d;
      if (d > r) r = d;
    }
    return r;
  };
  for (let g = 0; g < count; g++) {
    const v = nodeOfLeaf[g]!;
    const lo = from[v]!;
    const hi = to[v]!;
    mean.fill(0);
    for (let s = lo; s < hi; s++) {
      const o = kernel.vectorOffset(rows[s]!);
      groupOf[rows[s]!] = g;
      for (let t = 0; t < dim; t++) mean[t]! += x[o + t]!;
    }
    for (let t = 0; t < dim; t++) mean[t]! /= hi - lo;
    let best = Infinity;
    let bestRow = -1;
    for (let s = lo; s < hi; s++) {
      const d = sq(rows[s]!);
      if (d < best) {
        best = d;
        bestRow = rows[s]!;
      }
    }
    ref[g] = nodeRef[v] = bestRow;
    radius[g] = nodeRadius[v] = ball(v, bestRow);
    nodeLeaves[v] = 1;
  }
  return { rows, dref, ref, radius, groupOf, nodeRef, nodeRadius, nodeLeaves, evaluations };
}

/** Inner nodes after their children (children are always created after their parent): a ball and a box covering both. Returns the distances computed. */
function coverInnerNodes(kernel: DistanceKernel, tree: Partition, balls: LeafBalls, boxes: Boxes, k: number): number {
  const { left, right } = tree;
  const { nodeRef, nodeRadius, nodeLeaves } = balls;
  const { boxLo, boxHi, residualMin, residualMax, normMax } = boxes;
  let evaluations = 0;
  for (let v = left.length - 1; v >= 0; v--) {
    const a = left[v]!;
    const b = right[v]!;
    if (a < 0) continue;
    // One child's reference, and a radius that covers both children's balls: whichever of the two is smaller.
    const between = Math.sqrt(kernel.squaredDistance(nodeRef[a]!, nodeRef[b]!));
    evaluations++;
    const aboutA = Math.max(nodeRadius[a]!, between + nodeRadius[b]!);
    const aboutB = Math.max(between + nodeRadius[a]!, nodeRadius[b]!);
    nodeRef[v] = aboutA <= aboutB ? nodeRef[a]! : nodeRef[b]!;
    nodeRadius[v] = Math.min(aboutA, aboutB);
    nodeLeaves[v] = nodeLeaves[a]! + nodeLeaves[b]!;
    for (let r = 0; r < k; r++) {
      boxLo[v * k + r] = Math.min(boxLo[a * k + r]!, boxLo[b * k + r]!);
      boxHi[v * k + r] = Math.max(boxHi[a * k + r]!, boxHi[b * k + r]!);
    }
    residualMin[v] = Math.min(residualMin[a]!, residualMin[b]!);
    residualMax[v] = Math.max(residualMax[a]!, residualMax[b]!);
    normMax[v] = Math.max(normMax[a]!, normMax[b]!);
  }
  return evaluations;
}

/**
 * Puts the rows far from the subspace (distance over 4× the median) after the
 * others in `order` and returns where they start; −1 when they are none or
 * over a quarter of the rows (no outlier group worth a split).
 */
function farSplit(coords: Float64Array, stride: number, k: number, order: Int32Array): number {
  const n = order.length;
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = coords[i * stride + k]!;
  const sorted = residual.slice().sort();
  const limit = 4 * sorted[n >> 1]!;
  let near = 0;
  for (let i = 0; i < n; i++) if (residual[i]! <= limit) near++;
  if (near === n || n - near > n / 4) return -1;
  let a = 0;
  let b = near;
  for (let i = 0; i < n; i++) {
    if (residual[i]! <= limit) order[a++] = i;
    else order[b++] = i;
  }
  return near;
}

/** Reorders keys[lo..hi] (and rows, and their `width` values in `placed`, alongside) so that position k holds the k-th smallest key (Hoare selection). */
function select(keys: Float64Array, rows: Int32Array, placed: Float32Array, width: number, lo: number, hi: number, k: number): void {
  while (lo < hi) {
    const pivot = keys[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i]! < pivot) i++;
      while (keys[j]! > pivot) j--;
      if (i <= j) {
        const tk = keys[i]!;
        keys[i] = keys[j]!;
        keys[j] = tk;
        const tr = rows[i]!;
        rows[i] = rows[j]!;
        rows[j] = tr;
        for (let r = 0, a = i * width, b = j * width; r < width; r++) {
          const t = placed[a + r]!;
          placed[a + r] = placed[b + r]!;
          placed[b + r] = t;
        }
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
