import type { JobKind } from '../../shared/domain';
import { FarpointError } from '../errors';
import type { JobHandler } from './job-types';

/**
 * Job implementations by kind, loaded lazily so the compute side only pulls in
 * TensorFlow when a job needs it. Each area adds its line.
 */
const loaders: Partial<Record<JobKind, () => Promise<JobHandler>>> = {
  import: async () => (await import('../import/import-job')).importJob,
  queue: async () => (await import('../selection/queue-job')).queueJob,
  evaluate: async () => (await import('../evaluation/evaluate-job')).evaluateJob,
  predict: async () => (await import('../evaluation/predict-job')).predictJob,
  duplicates: async () => (await import('../duplicates/neighbour-graph-job')).neighbourGraphJob,
  train: async () => (await import('../ml/train-job')).trainJob,
  embed: async () => (await import('../ml/train-job')).embedJob,
  map: async () => (await import('../ml/latent-map-job')).latentMapJob,
};

export async function loadJobHandler(kind: JobKind): Promise<JobHandler> {
  const load = loaders[kind];
  if (!load) throw new FarpointError(`no job of kind '${kind}' in this build`, 404);
  return load();
}
