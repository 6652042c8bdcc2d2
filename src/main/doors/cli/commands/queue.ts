import type { ArgOf } from '../../../../shared/contract';
import { pageArgs, typiclustBatch } from '../../../../shared/contract/schemas';
import type { QueuePage, QueueStrategy } from '../../../../shared/domain';
import { isStrategyName, strategyNames } from '../../../../shared/strategy-names';
import { FarpointError } from '../../../core/errors';
import { intOption, schemaIntOption, stringOption, type CliCommand, type CommandContext } from '../command';
import { withProject, type ContractClient } from '../contract-client';
import { formatProgress } from '../output';
import { strategyChoices, strategyHelpLines } from '../strategy-help';

export function strategyOption(ctx: CommandContext): QueueStrategy | undefined {
  const raw = stringOption(ctx, 'strategy');
  if (raw === undefined) return undefined;
  if (!isStrategyName(raw)) throw new FarpointError(`--strategy must be one of ${strategyNames.join(', ')}, got '${raw}'`);
  return raw;
}

/** The most entries one getQueue request returns: longer listings are read page by page. */
const PAGE_LIMIT = pageArgs.shape.limit.unwrap().maxValue ?? 5000;

/**
 * The first `limit` entries of the queue, read through getQueue a page at a
 * time. Where a page reaches past what is computed (a large pool), the request
 * has started the queue job: it runs on this thread, and the page is asked again
 * when it ends.
 */
async function readQueue(client: ContractClient, limit: number, arg: Omit<ArgOf<'getQueue'>, 'offset' | 'limit'>, onProgress: (line: string) => void): Promise<QueuePage> {
  let head: QueuePage | null = null;
  const entries: QueuePage['entries'] = [];
  while (entries.length < limit) {
    const want = Math.min(PAGE_LIMIT, limit - entries.length);
    let page = await client.call('getQueue', { ...arg, offset: entries.length, limit: want });
    while (page.computing) {
      await client.finish(page.computing.jobId, (p) => onProgress(formatProgress(p)));
      page = await client.call('getQueue', { ...arg, offset: entries.length, limit: want });
    }
    head ??= page;
    entries.push(...page.entries);
    if (page.entries.length < want) break;
  }
  return { ...head!, offset: 0, entries };
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
    const batch = schemaIntOption(ctx, 'batch', typiclustBatch);
    const page = await withProject(ctx.positionals[0]!, (client) =>
      readQueue(client, limit, { strategy, typiclustBatch: batch }, (line) => ctx.out.progress(line)),
    );
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
  },
};
