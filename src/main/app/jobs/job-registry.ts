import type { JobKind } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import type { JobHandler } from '../../core/job-types';

/**
 * Job implementations by kind, loaded lazily so the compute side only pulls in
 * TensorFlow when a job needs it. Each area adds its line.
 */
const loaders: { [K in JobKind]: () => Promise<JobHandler<K>> } = {
  import: async () => (await import('../../stages/import/import-job')).importJob,
  thumbnails: async () => (await import('../../stages/import/thumbnails-job')).thumbnailsJob,
  queue: async () => (await import('../../stages/select/queue-job')).queueJob,
  evaluate: async () => (await import('../../stages/evaluate/evaluate-job')).evaluateJob,
  predict: async () => (await import('../../stages/evaluate/predict-job')).predictJob,
  duplicates: async () => (await import('../../stages/duplicates/neighbour-graph-job')).neighbourGraphJob,
  train: async () => (await import('../../stages/train/train-job')).trainJob,
  embed: async () => (await import('../../stages/train/train-job')).embedJob,
  map: async () => (await import('../../stages/map/latent-map-job')).latentMapJob,
};

export async function loadJobHandler<K extends JobKind>(kind: K): Promise<JobHandler<K>> {
  const load: (() => Promise<JobHandler<K>>) | undefined = Object.hasOwn(loaders, kind) ? loaders[kind] : undefined;
  if (!load) throw new FarpointError(`no job of kind '${kind}' in this build`, 404);
  return load();
}
