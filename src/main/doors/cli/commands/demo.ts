import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand } from '../command';
import { numberOption } from '../command';
import { generateDemoImages } from '../../../stages/demo/generate-demo';
import { importFolder } from '../../../stages/import/import-folder';
import { Project } from '../../../store/project';
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
    const images = await generateDemoImages(dir, { scale, onProgress: (done, total) => ctx.out.progress(`generating demo images ${done}/${total}`) });
    const projectPath = path.join(dir, 'demo.farpoint');
    const project = fs.existsSync(projectPath) ? Project.open(projectPath) : Project.create(projectPath);
    try {
      const summary = await importFolder(project.db, path.join(dir, 'images'), { onProgress: (p) => ctx.out.progress(formatProgress(p)) });
      const result = { dir, project: project.path, images: images.length, anglesCsv: path.join(dir, 'angles.csv'), import: summary };
      ctx.out.result(result, () =>
        [
          `demo: ${images.length} images in ${path.join(dir, 'images')}`,
          `true angles: ${result.anglesCsv}`,
          `project: ${project.path} (${project.status().samples} samples)`,
        ].join('\n'),
      );
    } finally {
      project.close();
    }
  },
};
