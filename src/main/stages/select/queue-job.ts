import fs from 'node:fs';
import { z } from 'zod';
import type { JobHandler } from '../../core/job-types';
import { Project } from '../../store/project';
import { SelectionService } from './selection-service';

const queueParams = z
  .object({
    strategy: z.enum(['fps', 'probcover', 'auto', 'typiclust', 'fps-dense']).default('fps'),
    upTo: z.number().int().positive().optional(),
    need: z.number().int().positive().optional(),
  })
  .strict();

/**
 * The last queue job's service, kept by this worker between jobs for the same
 * project file: its queue state already holds the order as deep as that job
 * went (and the pruning tree), so a deeper page asked for next continues from
 * there. The service checks the project's stamp when a job starts and applies
 * labels and exclusions made meanwhile, or reloads after new embeddings, as
 * it does for every request. One entry, keyed by the file's path, inode and
 * creation time: another file written at the same path (which may get the
 * freed inode back) is never mistaken for it.
 */
let kept: { file: string; identity: string; service: SelectionService; busy: boolean } | null = null;

function fileIdentity(file: string): string {
  const stat = fs.statSync(file);
  return `${stat.ino}:${stat.birthtimeMs}`;
}

/**
 * The furthest-point order of a project (or a coverage or density order),
 * whole or as deep as `upTo` entries, computed in the compute worker
 * in chunks (head first) with progress, stopping when the project changes, then stored in the project file
 * (queue_orders) where every session's live queue picks it up while the
 * labels, exclusions and embeddings it was computed from still hold.
 * The worker loads its own copy of the embeddings: it is a separate thread.
 */
export const queueJob: JobHandler = async (params, ctx) => {
  const { strategy, upTo, need } = queueParams.parse(params ?? {});
  const project = Project.open(ctx.projectPath);
  const identity = fileIdentity(ctx.projectPath);
  // A job running beside another for the same project (another strategy) gets a service of its own.
  const reuse = kept && kept.file === ctx.projectPath && kept.identity === identity && !kept.busy ? kept : null;
  const entry = reuse ?? { file: ctx.projectPath, identity, service: new SelectionService(project.db), busy: false };
  entry.service.reconnect(project.db);
  entry.busy = true;
  let finished = false;
  try {
    const summary = await entry.service.computeFullOrder(
      ({ done, total, stored }) => ctx.progress({ done, total, unit: 'samples', message: `computing the queue… ${done} of ${total}`, extra: { stored } }),
      ctx.isCancelled,
      strategy,
      upTo,
      need,
    );
    finished = true;
    return summary;
  } finally {
    entry.busy = false;
    project.close();
    // A failed or cancelled job's state is not kept; a finished one replaces the kept one unless that is in use.
    if (!finished) {
      if (kept === entry) kept = null;
    } else if (!kept?.busy) kept = entry;
  }
};
