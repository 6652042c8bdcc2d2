import fs from 'node:fs';
import path from 'node:path';
import { FarpointError } from '../core/errors';
import { npyFloat32 } from '../core/npy';
import { loadCurrentEmbeddings } from '../store/embedding-store';
import { Project } from '../store/project';
import { samplePaths } from '../store/samples';

export interface EmbeddingsExport {
  npy: string;
  csv: string;
  rows: number;
  dimension: number;
  modelId: number;
}

/**
 * The current embeddings of the project file at `projectPath` as a NumPy
 * .npy (float32, N×d) at `npyFile`, and beside it (.csv for .npy) each row's
 * sample id and path (`farpoint export-embeddings`; the UI has no request for it).
 */
export function exportEmbeddings(projectPath: string, npyFile: string): EmbeddingsExport {
  const npyPath = path.resolve(npyFile);
  const csvPath = npyPath.replace(/\.npy$/, '.csv');
  if (!fs.existsSync(path.dirname(npyPath))) throw new FarpointError(`folder does not exist: ${path.dirname(npyPath)}`, 404);
  const project = Project.open(projectPath);
  try {
    const matrix = loadCurrentEmbeddings(project.db);
    if (!matrix || matrix.count === 0) throw new FarpointError(`${project.path} has no embeddings yet: run farpoint train and farpoint embed first`, 409);
    const paths = samplePaths(project.db, matrix.ids.subarray(0, matrix.count));
    const lines = ['row,sample_id,path'];
    for (let i = 0; i < matrix.count; i++) lines.push(`${i},${matrix.ids[i]},${csvField(paths[i]!)}`);
    fs.writeFileSync(npyPath, npyFloat32(matrix.vectors, matrix.count, matrix.dim));
    fs.writeFileSync(csvPath, lines.join('\n') + '\n');
    return { npy: npyPath, csv: csvPath, rows: matrix.count, dimension: matrix.dim, modelId: matrix.modelId };
  } finally {
    project.close();
  }
}

/** RFC 4180 quoting when a path holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
