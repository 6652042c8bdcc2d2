import type { DuplicateCluster, DuplicateReport } from '../../../shared/domain';
import type { Db } from '../../store/database';
import { memberAngles } from '../../store/member-angles';
import { currentRegressorId } from '../../store/prediction-store';
import { getSamples } from '../../store/samples';
import type { RawCluster } from '../../core/duplicates/clusters';
import { clustersOf, currentDuplicateIndex, type DuplicateIndexSlot } from './duplicate-index';
import { distanceHistogram, PROPOSED_RULE } from '../../core/duplicates/threshold';
import { readSavedThreshold } from './threshold-setting';

export interface ReportOptions {
  /** The threshold to use; otherwise the one saved for this model, otherwise the proposal. */
  threshold?: number;
  offset?: number;
  /** Clusters to describe in full (all of them when omitted). */
  limit?: number;
}

/**
 * Near-duplicate clusters of the open project at a threshold, with the
 * nearest-neighbour histogram and the page of clusters the caller asked for.
 * Works without a graph too: byte-identical files are clusters regardless.
 */
export function duplicateReport(db: Db, cache: DuplicateIndexSlot | null, options: ReportOptions = {}): DuplicateReport {
  const index = currentDuplicateIndex(db, cache);
  const saved = options.threshold === undefined ? readSavedThreshold(db, index.modelId) : null;
  const threshold = options.threshold ?? saved ?? index.proposed;
  const thresholdSource = options.threshold !== undefined ? 'argument' : saved !== null ? 'saved' : 'proposed';
  const clusters = clustersOf(db, index, threshold);
  const offset = options.offset ?? 0;
  const page = clusters.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
  const samplesInClusters = clusters.reduce((sum, c) => sum + c.members.length, 0);
  return {
    graphState: index.state,
    graph: index.info,
    threshold,
    thresholdSource,
    proposedThreshold: index.proposed,
    proposedRule: PROPOSED_RULE,
    histogram: index.state === 'ready' ? distanceHistogram(index.nearest, threshold) : null,
    totalClusters: clusters.length,
    samplesInClusters,
    redundantSamples: samplesInClusters - clusters.length,
    offset,
    clusters: page.map((cluster) => withDetails(db, cluster, currentRegressorId(db))),
  };
}

function withDetails(db: Db, cluster: RawCluster, regressorId: number | null): DuplicateCluster {
  const samples = getSamples(db, cluster.members);
  const angles = memberAngles(db, cluster.members, regressorId);
  return {
    key: cluster.key,
    size: cluster.members.length,
    representativeId: cluster.representativeId,
    spread: cluster.spread,
    sameContent: cluster.sameContent,
    members: samples.map((s, i) => ({
      id: s.id,
      path: s.path,
      status: s.status,
      angle: s.angle,
      angleSource: s.angleSource,
      suggestion: angles[i]!.suggestion,
      distance: cluster.distances[i] ?? null,
      contentHash: s.contentHash,
    })),
  };
}
