import type { CliCommand, CommandContext } from '../command';
import { stringOption } from '../command';
import { formatProgress } from '../output';
import { DEFAULT_REGRESSOR_EPOCHS, DEFAULT_REGRESSOR_MIN_STEPS, evaluationSettingsSchema } from '../../../../shared/contract/evaluation-requests';
import type { EvaluateJobResult, EvaluationSettings } from '../../../../shared/domain';
import { strategyNames } from '../../../../shared/strategy-names';
import { FarpointError } from '../../../core/errors';
import { withProject } from '../contract-client';
import { formatEvaluation } from '../evaluation-report';

/** CLI option → settings field; numbers and lists are converted before zod validates them. */
const OPTION_FIELDS: Record<string, { field: keyof EvaluationSettings; kind: 'list' | 'numbers' | 'number' | 'string' }> = {
  strategies: { field: 'strategies', kind: 'list' },
  budgets: { field: 'budgets', kind: 'numbers' },
  repeats: { field: 'repeats', kind: 'number' },
  'test-fraction': { field: 'testFraction', kind: 'number' },
  split: { field: 'split', kind: 'string' },
  seed: { field: 'seed', kind: 'number' },
  'group-column': { field: 'groupColumn', kind: 'string' },
  groups: { field: 'groups', kind: 'number' },
  'split-column': { field: 'splitColumn', kind: 'string' },
  'duplicate-threshold': { field: 'duplicateThreshold', kind: 'number' },
  'dense-quantile': { field: 'denseQuantile', kind: 'number' },
  'input-size': { field: 'inputSize', kind: 'number' },
  steps: { field: 'steps', kind: 'number' },
  epochs: { field: 'epochs', kind: 'number' },
};

export function settingsFromOptions(ctx: CommandContext): EvaluationSettings {
  const raw: Record<string, unknown> = {};
  for (const [option, { field, kind }] of Object.entries(OPTION_FIELDS)) {
    const value = stringOption(ctx, option);
    if (value === undefined) continue;
    const number = (s: string) => {
      const n = Number(s.trim());
      if (s.trim() === '' || !Number.isFinite(n)) throw new FarpointError(`--${option}: '${s}' is not a number`);
      return n;
    };
    raw[field] = kind === 'list' ? value.split(',').map((s) => s.trim()) : kind === 'numbers' ? value.split(',').map(number) : kind === 'number' ? number(value) : value;
  }
  const parsed = evaluationSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = Object.entries(OPTION_FIELDS).find(([, f]) => f.field === issue.path[0])?.[0] ?? String(issue.path[0]);
    throw new FarpointError(`--${option}: ${issue.message}`);
  }
  return parsed.data;
}

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  args: 'PROJECT',
  summary: 'Learning curves of the orientation model for each selection strategy on the labeled samples (fair: grouped test split, balanced error).',
  details:
    'Holds out a fixed test split of the labeled samples (grouped by default: near-duplicate clusters in the latent space stay\n' +
    'on one side), builds each strategy\'s order over the rest with nothing labeled at the start, trains the orientation\n' +
    'regressor on the first b of each order for every budget and repeat, and reports the plain and the balanced mean angular\n' +
    'error (mean ± sd over repeats), the labels each strategy saves against random, and the best strategy. The run is stored\n' +
    'in the project. Needs labels (farpoint labels import) and embeddings of the current autoencoder. Budgets above the\n' +
    'training pool (the labeled, embedded samples less the test split) are refused before any work, naming the largest that fits.',
  options: {
    strategies: { type: 'string', value: 'LIST', description: `comma-separated: ${strategyNames.join(',')} (default all)` },
    budgets: { type: 'string', value: 'LIST', description: 'training-set sizes (default 25,50,100,200,400)' },
    repeats: { type: 'string', value: 'N', description: 'repeats per strategy and budget (default 3)' },
    'test-fraction': { type: 'string', value: 'F', description: 'share of the labeled samples held out (default 0.2)' },
    split: { type: 'string', value: 'KIND', description: 'grouped (default) or random' },
    seed: { type: 'string', value: 'K', description: 'seed of the split, random orders and networks (default 1)' },
    'group-column': { type: 'string', value: 'NAME', description: 'imported CSV column grouping the balanced error (default: k-means)' },
    groups: { type: 'string', value: 'K', description: 'k-means clusters for the balanced error (default 10)' },
    'split-column': { type: 'string', value: 'NAME', description: 'imported CSV column whose equal values stay on one side of the grouped split (default: near-duplicate clusters)' },
    'duplicate-threshold': { type: 'string', value: 'D', description: 'latent distance of near-duplicates (default: the duplicate review threshold for this model)' },
    'dense-quantile': { type: 'string', value: 'Q', description: 'fps-dense: share of least typical samples put last (default 0.2)' },
    'input-size': { type: 'string', value: 'PX', description: 'regressor input size, multiple of 8 (default 32)' },
    steps: { type: 'string', value: 'N', description: `minimum training steps per model (default ${DEFAULT_REGRESSOR_MIN_STEPS})` },
    epochs: { type: 'string', value: 'E', description: `passes over the b training images per model, if more than --steps (default ${DEFAULT_REGRESSOR_EPOCHS}; 0: exactly --steps)` },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    // Checked before the project is opened, so a mistyped option is named whatever the project.
    const settings = settingsFromOptions(ctx);
    const { record, mode } = await withProject(ctx.positionals[0]!, async (client) => {
      // Budgets the training pool cannot fill are refused here, before any work, as in the app.
      const job = await client.call('startEvaluation', settings);
      const { evaluationId } = (await client.finish(job.id, (p) =>
        p.note === undefined ? ctx.out.progress(formatProgress(p)) : ctx.out.note(p.note),
      )) as EvaluateJobResult;
      return { record: await client.call('getEvaluation', { id: evaluationId }), mode: (await client.call('getStatus', {})).settings.angleMode };
    });
    ctx.out.result(record, () => formatEvaluation(record, mode));
  },
};
