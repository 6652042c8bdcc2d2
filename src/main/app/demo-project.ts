import fs from 'node:fs';
import path from 'node:path';
import type { ImportSummary, JobProgress } from '../../shared/domain';
import { generateDemoImages } from '../stages/demo/generate-demo';
import { importFolder } from '../stages/import/import-folder';
import { Project } from '../store/project';

export interface DemoProject {
  dir: string;
  project: string;
  images: number;
  anglesCsv: string;
  import: ImportSummary;
  /** Samples in the project after the import. */
  samples: number;
}

/**
 * The demo: its images (tools at known orientations) and their true angles
 * in DIR, and DIR/demo.farpoint with them imported (`farpoint demo`; the UI
 * has no request for it). Re-running it reuses the project.
 */
export async function createDemoProject(
  dir: string,
  options: { scale: number; onImages?: (done: number, total: number) => void; onImport?: (progress: JobProgress) => void },
): Promise<DemoProject> {
  const images = await generateDemoImages(dir, { scale: options.scale, onProgress: options.onImages });
  const projectPath = path.join(dir, 'demo.farpoint');
  const project = fs.existsSync(projectPath) ? Project.open(projectPath) : Project.create(projectPath);
  try {
    const summary = await importFolder(project.db, path.join(dir, 'images'), { onProgress: options.onImport });
    return { dir, project: project.path, images: images.length, anglesCsv: path.join(dir, 'angles.csv'), import: summary, samples: project.status().samples };
  } finally {
    project.close();
  }
}
