import type { DuplicateReport } from '../../../../shared/domain';
import { requests } from '../../../../shared/contract';
import { schemaIntOption, schemaNumberOption, type CliCommand } from '../command';
import { withProject, type ContractClient } from '../contract-client';
import { formatProgress } from '../output';

const kField = requests.buildNeighbourGraph.arg.shape.k;
/** Neighbours per sample when the graph is built: the request's default. */
const DEFAULT_K = kField.parse(undefined);
/** Clusters per request: the request's largest page. */
const PAGE = requests.duplicateClusters.arg.shape.limit.unwrap().maxValue ?? 1000;

export const duplicatesCommand: CliCommand = {
  name: 'duplicates',
  args: 'PROJECT',
  summary: 'Near-duplicate clusters in latent space (plus byte-identical files): ids, paths, sizes, threshold used.',
  details:
    'Builds the k-nearest-neighbour graph of the current embeddings when the project has none (or it is out of date),\n' +
    'stores it in the project, and prints the clusters at the threshold: --threshold, else the one saved in the app,\n' +
    'else the proposed one (from the distribution of nearest-neighbour distances).',
  options: {
    threshold: { type: 'string', value: 'T', description: 'latent distance at or below which two samples are near-duplicates' },
    k: { type: 'string', value: 'K', description: `neighbours per sample when the graph is built (default ${DEFAULT_K})` },
    rebuild: { type: 'boolean', description: 'build the neighbour graph again even if it is up to date' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { positionals, out } = ctx;
    const threshold = schemaNumberOption(ctx, 'threshold', requests.duplicateClusters.arg.shape.threshold);
    const k = schemaIntOption(ctx, 'k', kField) ?? DEFAULT_K;
    const { path, report } = await withProject(positionals[0]!, async (client) => {
      const state = (await client.call('duplicateClusters', { threshold, limit: 1 })).graphState;
      if (state === 'no-model') out.note('no embeddings yet: only byte-identical files (same content hash) are grouped');
      else if (state !== 'ready' || ctx.options.rebuild === true) {
        out.note(state === 'stale' ? 'the neighbour graph is out of date: rebuilding it' : 'building the neighbour graph');
        const job = await client.call('buildNeighbourGraph', { k });
        await client.finish(job.id, (p) => out.progress(formatProgress(p)));
      }
      return { path: (await client.call('getStatus', {})).path, report: await everyCluster(client, threshold) };
    });
    out.result({ project: path, ...report }, () => describe(report));
  },
};

/** The report with every cluster, a page of them per request. */
async function everyCluster(client: ContractClient, threshold: number | undefined): Promise<DuplicateReport> {
  const report = await client.call('duplicateClusters', { threshold, offset: 0, limit: PAGE });
  const clusters = [...report.clusters];
  while (clusters.length < report.totalClusters) {
    const page = await client.call('duplicateClusters', { threshold, offset: clusters.length, limit: PAGE });
    if (page.clusters.length === 0) break;
    clusters.push(...page.clusters);
  }
  return { ...report, clusters };
}

function describe(report: DuplicateReport): string {
  const lines: string[] = [];
  const source = { argument: 'from --threshold', saved: 'saved in the project', proposed: 'proposed' }[report.thresholdSource];
  lines.push(`threshold ${report.threshold.toPrecision(4)} (${source}; proposed ${report.proposedThreshold.toPrecision(4)})`);
  const g = report.graph;
  if (g && report.graphState === 'ready') {
    lines.push(`graph     ${g.count} samples, ${g.method}, k = ${g.k}, recall ${g.recall.toFixed(3)} on ${g.recallQueries} samples, built in ${g.seconds.toFixed(2)} s`);
  }
  lines.push(`clusters  ${report.totalClusters} holding ${report.samplesInClusters} samples (${report.redundantSamples} beyond one per cluster)`);
  report.clusters.forEach((cluster, n) => {
    lines.push('', `cluster ${n + 1}: ${cluster.size} samples, spread ${cluster.spread.toPrecision(3)}${cluster.sameContent ? ', includes byte-identical files' : ''}`);
    for (const m of cluster.members) {
      const role = m.id === cluster.representativeId ? 'representative' : m.distance === null ? 'same content' : `distance ${m.distance.toPrecision(3)}`;
      lines.push(`  #${m.id}  ${m.path}  (${role}${m.status === 'excluded' ? ', excluded' : ''})`);
    }
  });
  return lines.join('\n');
}
