import { evaluationSettingsSchema } from '../../../shared/contract/evaluation-requests';
import type { EvaluateJobResult, JobProgress } from '../../../shared/domain';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { runEvaluation } from './run-evaluation';

/** The 'evaluate' job: runs in the compute worker, reports progress, stores the run in the project. */
export const evaluateJob: JobHandler = async (params, ctx) => {
  const settings = evaluationSettingsSchema.parse(params ?? {});
  const project = Project.open(ctx.projectPath);
  try {
    // Each scored model goes out as a note on the latest progress, so a log (the CLI's) shows every one as it comes.
    let latest: JobProgress = { done: 0, total: 0, unit: 'models', message: '' };
    const record = await runEvaluation(project.db, settings, {
      progress: (progress) => {
        latest = progress;
        ctx.progress(progress);
      },
      result: (r) =>
        ctx.progress({
          ...latest,
          note: `${r.strategy} at ${r.budget} labels, repeat ${r.repeat + 1}: plain ${r.plain.toFixed(1)}°, balanced ${r.balanced.toFixed(1)}°`,
        }),
      isCancelled: ctx.isCancelled,
    });
    const result: EvaluateJobResult = { evaluationId: record.id, best: record.results.best, labelsSaved: record.results.labelsSaved };
    return result;
  } finally {
    project.close();
  }
};
