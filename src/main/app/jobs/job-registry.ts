import type { JobKind } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import type { JobHandler } from '../../core/job-types';

/**
 * Job implementations by kind, loaded lazily so the compute side only pulls in
 * TensorFlow when a job needs it. Each area adds its line.
 */
const loaders: Partial<Record<JobKind, () => Promise<JobHandler>>> = {
  import: async () => (await import('../../stages/import/import-job')).importJob,
  queue: async () => (await import('../../stages/select/queue-job')).queueJob,
  evaluate: async () => (await import('../../stages/evaluate/evaluate-job')).evaluateJob,
  predict: async () => (await import('../../stages/evaluate/predict-job')).predictJob,
  duplicates: async () => (await import('../../stages/duplicates/neighbour-graph-job')).neighbourGraphJob,
  train: async () => (await import('../../stages/train/train-job')).trainJob,
  embed: async () => (await import('../../stages/train/train-job')).embedJob,
  map: async () => (await import('../../stages/map/latent-map-job')).latentMapJob,
};

export async function loadJobHandler(kind: JobKind): Promise<JobHandler> {
  const load = loaders[kind];
  if (!load) throw new FarpointError(`no job of kind '${kind}' in this build`, 404);
  return load();
}
