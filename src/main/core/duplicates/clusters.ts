import type { NeighbourGraph } from './neighbour-graph';
import { UnionFind } from './union-find';

/** A near-duplicate cluster before the project's sample details are attached. */
export interface RawCluster {
  /** Smallest member id: the cluster's name while the threshold stays put. */
  key: number;
  /** Sample ids, the representative first, then by distance to it. */
  members: number[];
  /** Distance of each member to the representative; null for a sample without a vector. */
  distances: (number | null)[];
  representativeId: number;
  spread: number;
  sameContent: boolean;
}

export interface ClusterInput {
  /** The graph; its rows are the rows of `vectors`. */
  graph: NeighbourGraph;
  vectors: Float32Array;
  dim: number;
  /** Groups of sample ids with the same content hash (byte-identical files), whether embedded or not. */
  contentGroups: readonly (readonly number[])[];
}

/**
 * Connected components of the graph's edges not longer than `threshold`,
 * merged with the content-hash groups. Only the cached graph is read: moving
 * the threshold never searches for neighbours again. Components of one
 * sample are not clusters and are left out. Sorted by size, largest first.
 */
export function clustersAtThreshold(input: ClusterInput, threshold: number): RawCluster[] {
  const { graph, contentGroups } = input;
  const count = graph.ids.length;
  const rowOf = new Map<number, number>();
  for (let i = 0; i < count; i++) rowOf.set(graph.ids[i]!, i);
  // Content-hash copies without a vector get nodes after the graph's rows.
  const extraIds: number[] = [];
  const nodeOf = (id: number): number => {
    const row = rowOf.get(id);
    if (row !== undefined) return row;
    rowOf.set(id, count + extraIds.length);
    extraIds.push(id);
    return count + extraIds.length - 1;
  };
  const groupNodes = contentGroups.map((group) => group.map(nodeOf));
  const sets = new UnionFind(count + extraIds.length);

  for (let i = 0; i < count; i++) {
    for (let c = 0; c < graph.k; c++) {
      const j = graph.neighbours[i * graph.k + c]!;
      // Neighbours are nearest first: the first one beyond the threshold ends the row.
      if (j < 0 || graph.distances[i * graph.k + c]! > threshold) break;
      sets.union(i, j);
    }
  }
  unionIdenticalVectors(input, sets);
  const inContentGroup = new Uint8Array(count + extraIds.length);
  for (const nodes of groupNodes) {
    for (const node of nodes) {
      sets.union(nodes[0]!, node);
      inContentGroup[node] = 1;
    }
  }

  const components = new Map<number, number[]>();
  for (let node = 0; node < count + extraIds.length; node++) {
    if (sets.sizeOf(node) < 2) continue;
    const root = sets.find(node);
    const list = components.get(root);
    if (list) list.push(node);
    else components.set(root, [node]);
  }
  const idOf = (node: number) => (node < count ? graph.ids[node]! : extraIds[node - count]!);
  const clusters = [...components.values()].map((nodes) =>
    describeCluster(input, nodes, idOf, nodes.some((n) => inContentGroup[n] === 1)),
  );
  return clusters.sort((a, b) => b.members.length - a.members.length || a.spread - b.spread || a.key - b.key);
}

/**
 * Samples with identical vectors belong together at any threshold, even when
 * more copies exist than k and the graph lists only some of them.
 */
function unionIdenticalVectors({ graph, vectors, dim }: ClusterInput, sets: UnionFind): void {
  const firstWithVector = new Map<string, number>();
  const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  for (let i = 0; i < graph.ids.length; i++) {
    if (graph.k === 0 || graph.distances[i * graph.k]! !== 0) continue;
    const key = Buffer.from(bytes.subarray(i * dim * 4, (i + 1) * dim * 4)).toString('base64');
    const first = firstWithVector.get(key);
    if (first === undefined) firstWithVector.set(key, i);
    else sets.union(first, i);
  }
}

/**
 * The representative is the member nearest the members' mean vector (the
 * most central one; O(m·d), so even a huge cluster stays cheap); spread is
 * the largest distance from it to a member.
 */
function describeCluster({ graph, vectors, dim }: ClusterInput, nodes: number[], idOf: (node: number) => number, sameContent: boolean): RawCluster {
  const count = graph.ids.length;
  const rows = nodes.filter((n) => n < count);
  if (rows.length === 0) {
    const members = nodes.map(idOf).sort((a, b) => a - b);
    return { key: members[0]!, members, distances: members.map(() => null), representativeId: members[0]!, spread: 0, sameContent };
  }
  const mean = new Float64Array(dim);
  for (const row of rows) for (let q = 0; q < dim; q++) mean[q]! += vectors[row * dim + q]!;
  for (let q = 0; q < dim; q++) mean[q]! /= rows.length;
  let centre = rows[0]!;
  let centreDistance = Infinity;
  for (const row of rows) {
    let sum = 0;
    for (let q = 0; q < dim; q++) {
      const diff = vectors[row * dim + q]! - mean[q]!;
      sum += diff * diff;
    }
    // Ties go to the smaller sample id, so the choice is stable.
    if (sum < centreDistance || (sum === centreDistance && graph.ids[row]! < graph.ids[centre]!)) {
      centre = row;
      centreDistance = sum;
    }
  }
  const entries = nodes.map((node) => ({ id: idOf(node), distance: node < count ? distanceBetween(vectors, dim, node, centre) : null }));
  entries.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || a.id - b.id);
  const centreId = graph.ids[centre]!;
  // The representative leads even when an identical copy ties with it at distance 0.
  entries.sort((a, b) => Number(b.id === centreId) - Number(a.id === centreId));
  const spread = entries.reduce((max, e) => Math.max(max, e.distance ?? 0), 0);
  const key = entries.reduce((min, e) => Math.min(min, e.id), Infinity);
  return { key, members: entries.map((e) => e.id), distances: entries.map((e) => e.distance), representativeId: centreId, spread, sameContent };
}

function distanceBetween(vectors: Float32Array, dim: number, a: number, b: number): number {
  let sum = 0;
  for (let q = 0; q < dim; q++) {
    const diff = vectors[a * dim + q]! - vectors[b * dim + q]!;
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}
