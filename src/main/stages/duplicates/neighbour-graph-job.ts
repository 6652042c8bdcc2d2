import { z } from 'zod';
import type { NeighbourGraphInfo } from '../../../shared/domain';
import { JobCancelledError, type JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { buildCurrentGraph } from './build-current-graph';
import { GraphBuildCancelled } from '../../core/duplicates/neighbour-graph';

const params = z.object({ k: z.number().int().min(1).max(100) });

/** Builds and stores the current model's neighbour graph in the compute worker; the result is the graph's description. */
export const neighbourGraphJob: JobHandler = async (raw, ctx): Promise<NeighbourGraphInfo> => {
  const { k } = params.parse(raw);
  const project = Project.open(ctx.projectPath);
  try {
    return buildCurrentGraph(project.db, {
      k,
      isCancelled: ctx.isCancelled,
      onProgress: (done, total, message) => ctx.progress({ done, total, unit: 'steps', message }),
    });
  } catch (err) {
    if (err instanceof GraphBuildCancelled) throw new JobCancelledError();
    throw err;
  } finally {
    project.close();
  }
};
