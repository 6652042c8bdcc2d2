import { embeddingArgs, trainingArgs } from '../../../shared/contract/ml-requests';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { embedSamples } from '../embed/embed';
import { trainAutoencoder } from './train';

/** Trains (resuming an interrupted run with the same settings), then by default embeds with the new model. */
export const trainJob: JobHandler = async (params, ctx) => {
  const { embed, ...options } = trainingArgs.parse(params);
  const project = Project.open(ctx.projectPath);
  try {
    const result = await trainAutoencoder(project.db, options, { onProgress: ctx.progress, isCancelled: ctx.isCancelled });
    if (embed) {
      result.embedding = await embedSamples(project.db, { modelId: result.modelId }, { onProgress: ctx.progress, isCancelled: ctx.isCancelled });
    }
    return result;
  } finally {
    project.close();
  }
};

export const embedJob: JobHandler = async (params, ctx) => {
  const options = embeddingArgs.parse(params);
  const project = Project.open(ctx.projectPath);
  try {
    return await embedSamples(project.db, options, { onProgress: ctx.progress, isCancelled: ctx.isCancelled });
  } finally {
    project.close();
  }
};
