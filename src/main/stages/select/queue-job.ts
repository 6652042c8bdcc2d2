import { z } from 'zod';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { SelectionService } from './selection-service';

const queueParams = z
  .object({ strategy: z.enum(['fps', 'probcover', 'auto', 'typiclust', 'fps-dense']).default('fps'), upTo: z.number().int().positive().optional() })
  .strict();

/**
 * The furthest-point order of a project (or a coverage or density order),
 * whole or as deep as `upTo` entries, computed in the compute worker
 * in chunks (head first) with progress, stopping when the project changes, then stored in the project file
 * (queue_orders) where every session's live queue picks it up while the
 * labels, exclusions and embeddings it was computed from still hold.
 * The worker loads its own copy of the embeddings: it is a separate thread.
 */
export const queueJob: JobHandler = async (params, ctx) => {
  const { strategy, upTo } = queueParams.parse(params ?? {});
  const project = Project.open(ctx.projectPath);
  try {
    const service = new SelectionService(project.db);
    return await service.computeFullOrder(
      ({ done, total }) => ctx.progress({ done, total, unit: 'samples', message: `computing the queue… ${done} of ${total}` }),
      ctx.isCancelled,
      strategy,
      upTo,
    );
  } finally {
    project.close();
  }
};
