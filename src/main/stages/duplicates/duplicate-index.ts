import type { NeighbourGraphInfo } from '../../../shared/domain';
import { loadEmbeddings } from '../../store/embedding-store';
import type { Db } from '../../store/database';
import { currentModelId } from '../../store/settings';
import { clustersAtThreshold, type RawCluster } from '../../core/duplicates/clusters';
import { contentHashGroups } from './content-groups';
import { embeddingFingerprint, readGraph, readGraphHeader } from '../../store/graph-store';
import { nearestDistances, type NeighbourGraph } from '../../core/duplicates/neighbour-graph';
import { proposeThreshold } from '../../core/duplicates/threshold';

/**
 * Everything clustering needs in memory: the stored graph, the vectors in its
 * row order, and the nearest-neighbour distances with the proposed
 * threshold. Built once per graph and kept in the session's project services; a request only
 * re-reads the graph's header to check it is still the current one.
 */
export interface DuplicateIndex {
  state: 'ready' | 'missing' | 'stale' | 'no-model';
  modelId: number | null;
  info: NeighbourGraphInfo | null;
  graph: NeighbourGraph;
  vectors: Float32Array;
  dim: number;
  nearest: Float64Array;
  proposed: number;
  /** Clusters of the last threshold asked for, so paging through them does not recompute. */
  memo: { threshold: number; contentVersion: string; clusters: RawCluster[] } | null;
}

/** Where a caller keeps the index between requests (the session's per-project services). */
export interface DuplicateIndexSlot {
  duplicateIndex: DuplicateIndex | null;
}

const emptyGraph: NeighbourGraph = { ids: new Int32Array(0), k: 0, neighbours: new Int32Array(0), distances: new Float32Array(0) };

function withoutGraph(state: DuplicateIndex['state'], modelId: number | null, info: NeighbourGraphInfo | null): DuplicateIndex {
  return { state, modelId, info, graph: emptyGraph, vectors: new Float32Array(0), dim: 0, nearest: new Float64Array(0), proposed: 0, memo: null };
}

/** The current model's duplicate index, from the cache when its graph has not changed. */
export function currentDuplicateIndex(db: Db, cache: DuplicateIndexSlot | null): DuplicateIndex {
  const modelId = currentModelId(db);
  if (modelId === null) return withoutGraph('no-model', null, null);
  const header = readGraphHeader(db, modelId);
  if (!header) return withoutGraph('missing', modelId, null);
  if (header.fingerprint !== embeddingFingerprint(db, modelId)) return withoutGraph('stale', modelId, header.info);

  const cached = cache?.duplicateIndex;
  if (cached && cached.modelId === modelId && cached.info?.builtAt === header.info.builtAt && cached.state === 'ready') return cached;

  const graph = readGraph(db, modelId);
  const embeddings = loadEmbeddings(db, modelId, { includeExcluded: true });
  if (!graph || !sameIds(graph.ids, embeddings.ids)) return withoutGraph('stale', modelId, header.info);
  const nearest = nearestDistances(graph);
  const index: DuplicateIndex = {
    state: 'ready',
    modelId,
    info: header.info,
    graph,
    vectors: embeddings.vectors,
    dim: embeddings.dim,
    nearest,
    proposed: proposeThreshold(nearest),
    memo: null,
  };
  if (cache) cache.duplicateIndex = index;
  return index;
}

/** Clusters at a threshold, reusing the index's memo when neither the threshold nor the content-hash groups changed. */
export function clustersOf(db: Db, index: DuplicateIndex, threshold: number): RawCluster[] {
  const contentGroups = contentHashGroups(db);
  const contentVersion = contentGroups.map((g) => g.join(',')).join(';');
  if (index.memo && index.memo.threshold === threshold && index.memo.contentVersion === contentVersion) return index.memo.clusters;
  const clusters = clustersAtThreshold({ graph: index.graph, vectors: index.vectors, dim: index.dim, contentGroups }, threshold);
  index.memo = { threshold, contentVersion, clusters };
  return clusters;
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
