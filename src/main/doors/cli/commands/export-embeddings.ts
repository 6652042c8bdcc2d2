import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand } from '../command';
import { stringOption } from '../command';
import { Project } from '../../../store/project';
import { loadCurrentEmbeddings } from '../../../store/embedding-store';
import { samplePaths } from '../../../store/samples';
import { npyFloat32 } from '../../../core/npy';
import { FarpointError } from '../../../core/errors';

export const exportEmbeddingsCommand: CliCommand = {
  name: 'export-embeddings',
  args: 'PROJECT',
  summary: 'Write the current embeddings as a NumPy .npy (float32, N×d) plus a CSV of sample ids and paths in the same row order.',
  details: 'The CSV is FILE with .csv in place of .npy. In Python: np.load(FILE) and pandas.read_csv(FILE.csv).',
  options: { out: { type: 'string', value: 'FILE.npy', description: 'where to write the .npy file (required)' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const outFile = stringOption(ctx, 'out');
    if (!outFile) throw new FarpointError('--out FILE.npy is required');
    if (!outFile.endsWith('.npy')) throw new FarpointError(`--out must name a .npy file, got '${outFile}'`);
    const npyPath = path.resolve(outFile);
    const csvPath = npyPath.replace(/\.npy$/, '.csv');
    if (!fs.existsSync(path.dirname(npyPath))) throw new FarpointError(`folder does not exist: ${path.dirname(npyPath)}`, 404);
    const project = Project.open(ctx.positionals[0]!);
    try {
      const matrix = loadCurrentEmbeddings(project.db);
      if (!matrix || matrix.count === 0) throw new FarpointError(`${project.path} has no embeddings yet: run farpoint train and farpoint embed first`, 409);
      const paths = samplePaths(project.db, matrix.ids.subarray(0, matrix.count));
      const lines = ['row,sample_id,path'];
      for (let i = 0; i < matrix.count; i++) lines.push(`${i},${matrix.ids[i]},${csvField(paths[i]!)}`);
      fs.writeFileSync(npyPath, npyFloat32(matrix.vectors, matrix.count, matrix.dim));
      fs.writeFileSync(csvPath, lines.join('\n') + '\n');
      const result = { npy: npyPath, csv: csvPath, rows: matrix.count, dimension: matrix.dim, modelId: matrix.modelId };
      ctx.out.result(result, () => `wrote ${matrix.count}×${matrix.dim} float32 embeddings of model ${matrix.modelId} to ${npyPath}\nsample ids and paths: ${csvPath}`);
    } finally {
      project.close();
    }
  },
};

/** RFC 4180 quoting when a path holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
