import type { CliCommand } from '../command';
import { intOption } from '../command';
import { Project } from '../../../store/project';
import { embedSamples } from '../../../stages/embed/embed';
import { loadTf } from '../../../stages/train/tf-backend';
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
    const modelId = intOption(ctx, 'model', { min: 1, max: Number.MAX_SAFE_INTEGER });
    const project = Project.open(ctx.positionals[0]!);
    try {
      const runtime = await loadTf();
      out.note(`backend: ${runtime.backend} (${runtime.reason})`);
      const result = await embedSamples(project.db, { modelId }, { onProgress: (p) => out.progress(formatProgress(p)) });
      out.result(result, () =>
        [
          `embedded ${result.count} samples with model ${result.modelId} (${result.backend}): dimension ${result.dimension}`,
          `speed: ${result.imagesPerSecond.toFixed(0)} images/s`,
          ...result.unreadable.map((u) => `  unreadable, left out: ${u.path}: ${u.reason}`),
        ].join('\n'),
      );
    } finally {
      project.close();
    }
  },
};
