import path from 'node:path';
import type { CliCommand } from '../command';
import { numberOption } from '../command';
import { createDemoProject } from '../../../app/demo-project';
import { formatProgress } from '../output';

export const demoCommand: CliCommand = {
  name: 'demo',
  args: '[DIR]',
  summary: 'Generate the demo image set (tools at known orientations) in DIR and a project that has imported it.',
  details:
    'Offline and deterministic. Writes DIR/images/*.png (128×128 grayscale), DIR/angles.csv with the true angles\n' +
    '(degrees clockwise from "pointing up") and object types, and DIR/demo.farpoint. DIR defaults to ./farpoint-demo.',
  options: { scale: { type: 'string', value: 'F', description: 'fraction of the full set to generate (default 1: about 2,000 images)' } },
  minArgs: 0,
  maxArgs: 1,
  async run(ctx) {
    const dir = path.resolve(ctx.positionals[0] ?? 'farpoint-demo');
    const scale = numberOption(ctx, 'scale', { min: 0.001, max: 10 }) ?? 1;
    const { samples, ...result } = await createDemoProject(dir, {
      scale,
      onImages: (done, total) => ctx.out.progress(`generating demo images ${done}/${total}`),
      onImport: (p) => ctx.out.progress(formatProgress(p)),
    });
    ctx.out.result(result, () =>
      [
        `demo: ${result.images} images in ${path.join(dir, 'images')}`,
        `true angles: ${result.anglesCsv}`,
        `project: ${result.project} (${samples} samples)`,
      ].join('\n'),
    );
  },
};
