import { trainOnLabelsSchema } from '../../../shared/contract/evaluation-requests';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { trainOnLabels } from './train-on-labels';

/** The 'predict' job ("train on my labels"): trains the orientation model and stores its suggestions. */
export const predictJob: JobHandler = async (params, ctx) => {
  const options = trainOnLabelsSchema.parse(params ?? {});
  const project = Project.open(ctx.projectPath);
  try {
    return await trainOnLabels(project.db, options, { progress: ctx.progress, isCancelled: ctx.isCancelled });
  } finally {
    project.close();
  }
};
