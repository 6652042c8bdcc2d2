import { gaussian, seededRandom } from '../../../src/main/core/random';
import type { LatentMap } from '../../../src/shared/domain';
import { startBackend, type TestBackend } from '../../helpers/backend';
import { writeEmbeddedProject } from '../../helpers/embedded-project';
import { call } from './app-page';

export interface ClusteredMapOptions {
  samples: number;
  clusters: number;
  dim: number;
  /** Standard deviation of each point around its cluster's centre (centres spread with sd 3). */
  spread: number;
  seed: number;
}

/**
 * A back end on a new project of `samples` embedded points in `clusters`
 * clusters (sample i in cluster i mod clusters), once its latent map is
 * computed: the view then only loads it.
 */
export async function clusteredMapBackend(file: string, options: ClusteredMapOptions): Promise<TestBackend> {
  const { samples, clusters, dim, spread, seed } = options;
  const random = seededRandom(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gaussian(random) * 3));
  writeEmbeddedProject(file, samples, (i) => Float32Array.from(centres[i % clusters]!, (c) => c + gaussian(random) * spread));
  const backend = await startBackend(file);
  for (let i = 0; i < 600 && (await call<LatentMap>(backend, 'getLatentMap')).state === 'computing'; i++) await new Promise((r) => setTimeout(r, 100));
  return backend;
}
