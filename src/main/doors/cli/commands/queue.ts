import type { QueueStrategy } from '../../../../shared/domain';
import { isStrategyName, strategyNames } from '../../../../shared/strategy-names';
import { FarpointError } from '../../../core/errors';
import { Project } from '../../../store/project';
import { SelectionService } from '../../../stages/select/selection-service';
import { intOption, stringOption, type CliCommand, type CommandContext } from '../command';
import { strategyChoices, strategyHelpLines } from '../strategy-help';

export function strategyOption(ctx: CommandContext): QueueStrategy | undefined {
  const raw = stringOption(ctx, 'strategy');
  if (raw === undefined) return undefined;
  if (!isStrategyName(raw)) throw new FarpointError(`--strategy must be one of ${strategyNames.join(', ')}, got '${raw}'`);
  return raw;
}

export const queueCommand: CliCommand = {
  name: 'queue',
  args: 'PROJECT',
  summary: 'Print the labeling queue: rank, sample id, novelty (latent distance to what came before) and path.',
  details:
    `${strategyHelpLines()}\n` +
    'Every order is computed in the current model\'s latent space and continues from the labeled samples; ties go to the\n' +
    'lowest sample id. Samples moved to the front (the map\'s lasso) come first in every order. Default: the project\'s strategy.',
  options: {
    strategy: { type: 'string', value: strategyChoices, description: "queue order (default: the project's strategy)" },
    batch: { type: 'string', value: 'K', description: "typiclust batch size (default: the project's setting typiclustBatch, 10); another size is a preview and is not stored" },
    limit: { type: 'string', value: 'K', description: 'entries to print (default 20)' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const strategy = strategyOption(ctx);
    const limit = intOption(ctx, 'limit', { min: 1, max: 100_000_000 }) ?? 20;
    const batch = intOption(ctx, 'batch', { min: 1, max: 1000 });
    const project = Project.open(ctx.positionals[0]!);
    try {
      const page = new SelectionService(project.db, undefined, { typiclustBatch: batch }).page(strategy, 0, limit);
      ctx.out.result(page, () => {
        const lines = [
          `${page.strategy} queue of ${page.total} samples${page.modelId === null ? '' : ` (model ${page.modelId})`}` +
            (page.unembedded > 0 ? `; ${page.unembedded} active samples have no embedding yet and are not queued` : ''),
          `${'rank'.padStart(6)}  ${'sample'.padStart(8)}  ${'novelty'.padStart(10)}  path`,
        ];
        for (const e of page.entries) {
          const novelty = e.novelty === null ? '—' : e.novelty.toFixed(4);
          lines.push(`${String(e.rank).padStart(6)}  ${String(e.sampleId).padStart(8)}  ${novelty.padStart(10)}  ${e.path}${e.skipped ? '  (skipped)' : ''}`);
        }
        return lines.join('\n');
      });
    } finally {
      project.close();
    }
  },
};
