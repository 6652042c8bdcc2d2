import type { CliCommand } from '../command';
import { Project } from '../../../store/project';
import { latentMap } from '../../../stages/map/latent-map';
import { FarpointError } from '../../../core/errors';
import { withTypedArraysAsLists } from '../../../../shared/contract';

export const mapCommand: CliCommand = {
  name: 'map',
  args: 'PROJECT',
  summary: 'The 2-D PCA latent map of the current embeddings (ids, x, y, explained variance); use --json for the data.',
  minArgs: 1,
  maxArgs: 1,
  async run({ positionals, out }) {
    const project = Project.open(positionals[0]!);
    try {
      const map = latentMap(project.db);
      if (map.modelId === null) throw new FarpointError(`${project.path} has no embeddings yet: run farpoint train and farpoint embed first`, 409);
      // Plain arrays in the JSON (typed arrays would print as objects); NaN angles as null.
      out.result(withTypedArraysAsLists(map), () =>
        [
          `latent map of model ${map.modelId}: ${map.count} samples, ${map.dimension} dimensions`,
          `explained variance: PC1 ${(100 * map.explainedVariance[0]).toFixed(1)}%, PC2 ${(100 * map.explainedVariance[1]).toFixed(1)}%`,
          'use --json for the coordinates',
        ].join('\n'),
      );
    } finally {
      project.close();
    }
  },
};
