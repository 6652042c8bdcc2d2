import { importLabels } from '../stages/labels/import-labels';
import { Project } from '../store/project';

/**
 * Imports ground-truth angles from a CSV into the project file at
 * `projectPath`, as labels from source "imported" by the project's author
 * (`farpoint labels import`; the UI has no request for it).
 */
export function importLabelsFile(projectPath: string, csv: string, options: { maxFileBytes?: number } = {}): ReturnType<typeof importLabels> {
  const project = Project.open(projectPath);
  try {
    return importLabels(project.db, csv, project.author, options);
  } finally {
    project.close();
  }
}
