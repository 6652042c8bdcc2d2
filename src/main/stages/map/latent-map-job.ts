import { z } from 'zod';
import { modelId } from '../../../shared/contract/schemas';
import { JobCancelled, type JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { computeProjection } from './latent-map';
import { saveProjection } from '../../store/latent-map-store';

const mapParams = z.object({ modelId }).strict();

/**
 * Computes one model's 2-D PCA projection in the compute worker and stores it
 * in the project file (latent_maps), where every map request then reads it.
 * Started when an embedding ends and whenever a map request finds the stored
 * projection missing or stale.
 */
export const latentMapJob: JobHandler = (params, ctx) => {
  const { modelId: model } = mapParams.parse(params);
  const project = Project.open(ctx.projectPath);
  try {
    ctx.progress({ done: 0, total: 1, unit: 'maps', message: `latent map of model ${model}: PCA of its embeddings` });
    const projection = computeProjection(project.db, model);
    if (ctx.isCancelled()) throw new JobCancelled();
    saveProjection(project.db, projection);
    ctx.progress({ done: 1, total: 1, unit: 'maps', message: `latent map of model ${model}: ${projection.ids.length} samples` });
    return Promise.resolve({ modelId: model, count: projection.ids.length, explainedVariance: projection.explainedVariance });
  } finally {
    project.close();
  }
};
