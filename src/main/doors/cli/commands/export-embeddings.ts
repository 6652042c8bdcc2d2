import type { CliCommand } from '../command';
import { stringOption } from '../command';
import { exportEmbeddings } from '../../../app/embeddings-export';
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
    const result = exportEmbeddings(ctx.positionals[0]!, outFile);
    ctx.out.result(result, () => `wrote ${result.rows}×${result.dimension} float32 embeddings of model ${result.modelId} to ${result.npy}\nsample ids and paths: ${result.csv}`);
  },
};
