import path from 'node:path';
import { generateDemoImages } from '../../../src/main/demo/generate-demo';
import { importFolder } from '../../../src/main/import/import-folder';
import { Project } from '../../../src/main/project/project';

/**
 * A small real project for UI tests: the demo generator's tool images (known
 * orientations, about 25 at this scale), imported into a fresh project file.
 */
export async function makeDemoProject(dir: string, scale = 0.01): Promise<{ projectPath: string; samples: number }> {
  await generateDemoImages(dir, { scale });
  const projectPath = path.join(dir, 'ui-test.farpoint');
  const project = Project.create(projectPath);
  try {
    const summary = await importFolder(project.db, path.join(dir, 'images'));
    return { projectPath: project.path, samples: summary.imported };
  } finally {
    project.close();
  }
}
