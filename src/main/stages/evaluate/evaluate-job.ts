import { evaluationSettingsSchema } from '../../../shared/contract/evaluation-requests';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { runEvaluation } from './run-evaluation';

/** The 'evaluate' job: runs in the compute worker, reports progress, stores the run in the project. */
export const evaluateJob: JobHandler = async (params, ctx) => {
  const settings = evaluationSettingsSchema.parse(params ?? {});
  const project = Project.open(ctx.projectPath);
  try {
    const record = await runEvaluation(project.db, settings, { progress: ctx.progress, isCancelled: ctx.isCancelled });
    return { evaluationId: record.id, best: record.results.best, labelsSaved: record.results.labelsSaved };
  } finally {
    project.close();
  }
};
