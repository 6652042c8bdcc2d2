import type { DuplicateReport } from '../../../../shared/domain';
import { buildCurrentGraph } from '../../../stages/duplicates/build-current-graph';
import { DEFAULT_K } from '../../../core/duplicates/build-graph';
import { currentDuplicateIndex } from '../../../stages/duplicates/duplicate-index';
import { duplicateReport } from '../../../stages/duplicates/duplicate-report';
import { Project } from '../../../store/project';
import { intOption, numberOption, type CliCommand } from '../command';
import { formatProgress } from '../output';

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
    const threshold = numberOption(ctx, 'threshold', { min: 0, max: 1e12 });
    const k = intOption(ctx, 'k', { min: 1, max: 100 }) ?? DEFAULT_K;
    const project = Project.open(positionals[0]!);
    try {
      const state = currentDuplicateIndex(project.db, null).state;
      if (state === 'no-model') out.note('no embeddings yet: only byte-identical files (same content hash) are grouped');
      else if (state !== 'ready' || ctx.options.rebuild === true) {
        out.note(state === 'stale' ? 'the neighbour graph is out of date: rebuilding it' : 'building the neighbour graph');
        buildCurrentGraph(project.db, { k, onProgress: (done, total, message) => out.progress(formatProgress({ done, total, unit: 'steps', message })) });
      }
      const report = duplicateReport(project.db, null, { threshold });
      out.result({ project: project.path, ...report }, () => describe(report));
    } finally {
      project.close();
    }
  },
};

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
