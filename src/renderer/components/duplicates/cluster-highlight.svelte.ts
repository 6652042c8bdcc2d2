/**
 * Which samples another view should highlight: the Duplicates view puts a
 * cluster's members here before opening the latent map, and the map reads
 * `ids` (a sample id list, replaced as a whole) to draw those points on top.
 * One small shared object instead of a URL parameter, because a cluster can
 * have thousands of members.
 */
class ClusterHighlight {
  ids = $state.raw<readonly number[]>([]);
  /** What the highlight is, for the map's legend ("cluster of #12, 4 samples"). */
  label = $state<string | null>(null);

  show(ids: readonly number[], label: string): void {
    this.ids = ids;
    this.label = label;
  }

  clear(): void {
    this.ids = [];
    this.label = null;
  }
}

export const clusterHighlight = new ClusterHighlight();
