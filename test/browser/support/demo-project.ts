import path from 'node:path';
import { generateDemoImages } from '../../../src/main/stages/demo/generate-demo';
import { importFolder } from '../../../src/main/stages/import/import-folder';
import { Project } from '../../../src/main/store/project';
import type { JobInfo } from '../../../src/shared/domain';
import type { TestBackend } from '../../helpers/backend';
import { call } from './app-page';

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

/** Trains a small autoencoder through the contract and waits until every sample is embedded. */
export async function trainSmallModel(backend: TestBackend): Promise<void> {
  const job = await call<JobInfo>(backend, 'startTraining', { epochs: 2, inputSize: 32, latentDim: 8, seed: 7 });
  for (;;) {
    const now = await call<JobInfo>(backend, 'getJob', { id: job.id });
    if (now.state === 'done') return;
    if (now.state === 'failed' || now.state === 'cancelled') throw new Error(`training ${now.state}: ${now.error}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
