import type { CliCommand } from '../command';
import type { LatentMap } from '../../../../shared/domain';
import { FarpointError } from '../../../core/errors';
import { withTypedArraysAsLists } from '../../../../shared/contract';
import { withProject, type ContractClient } from '../contract-client';
import { formatProgress } from '../output';

export const mapCommand: CliCommand = {
  name: 'map',
  args: 'PROJECT',
  summary: 'The 2-D PCA latent map of the current embeddings (ids, x, y, explained variance); use --json for the data.',
  minArgs: 1,
  maxArgs: 1,
  async run({ positionals, out }) {
    const map = await withProject(positionals[0]!, async (client) => {
      const found = await readyMap(client, (line) => out.progress(line));
      if (found.modelId === null) throw new FarpointError(`${(await client.call('getStatus', {})).path} has no embeddings yet: run farpoint train and farpoint embed first`, 409);
      return found;
    });
    // Plain arrays in the JSON (typed arrays would print as objects); NaN angles as null.
    out.result(withTypedArraysAsLists(map), () =>
      [
        `latent map of model ${map.modelId}: ${map.count} samples, ${map.dimension} dimensions`,
        `explained variance: PC1 ${(100 * map.explainedVariance[0]).toFixed(1)}%, PC2 ${(100 * map.explainedVariance[1]).toFixed(1)}%`,
        'use --json for the coordinates',
      ].join('\n'),
    );
  },
};

/** The map, waiting for the map job the request starts when the stored projection is missing or stale. */
async function readyMap(client: ContractClient, progress: (line: string) => void): Promise<LatentMap> {
  let map = await client.call('getLatentMap', {});
  while (map.state === 'computing' && map.job !== null) {
    await client.finish(map.job, (p) => progress(formatProgress(p)));
    map = await client.call('getLatentMap', {});
  }
  return map;
}
