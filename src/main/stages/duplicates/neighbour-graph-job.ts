import { z } from 'zod';
import type { NeighbourGraphInfo } from '../../../shared/domain';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { buildCurrentGraph } from './build-current-graph';

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
  } finally {
    project.close();
  }
};
