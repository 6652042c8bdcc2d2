import type { CliCommand } from '../command';
import { schemaIntOption } from '../command';
import { embeddingArgs } from '../../../../shared/contract/ml-requests';
import type { EmbedResult } from '../../../../shared/domain';
import { withProject } from '../contract-client';
import { formatProgress } from '../output';

export const embedCommand: CliCommand = {
  name: 'embed',
  args: 'PROJECT',
  summary: 'Embed every active sample with the newest trained autoencoder and make it the current model.',
  details: 'Vectors are float32, stored in the project keyed by model and sample. Safe to interrupt and run again.',
  options: { model: { type: 'string', value: 'ID', description: 'embed with this model instead of the newest' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { out } = ctx;
    const modelId = schemaIntOption(ctx, 'model', embeddingArgs.shape.modelId);
    const result = await withProject(ctx.positionals[0]!, async (client) => {
      const runtime = await client.call('getBackendInfo', {});
      out.note(`backend: ${runtime.backend} (${runtime.reason})`);
      const job = await client.call('startEmbedding', { modelId });
      return (await client.finish(job.id, (p) => out.progress(formatProgress(p)))) as EmbedResult;
    });
    out.result(result, () =>
      [
        `embedded ${result.count} samples with model ${result.modelId} (${result.backend}): dimension ${result.dimension}`,
        `speed: ${result.imagesPerSecond.toFixed(0)} images/s`,
        ...result.unreadable.map((u) => `  unreadable, left out: ${u.path}: ${u.reason}`),
      ].join('\n'),
    );
  },
};
