import { messageOf } from '../../core/errors';
import { loadJobHandler } from './job-registry';
import type { JobKind } from '../../../shared/domain';
import { JobCancelled, type JobHandler } from '../../core/job-types';
import type { FromCompute, ToCompute } from './compute-messages';

export interface ComputePort {
  post(message: FromCompute): void;
  onMessage(listener: (message: ToCompute) => void): void;
}

/**
 * The compute side's loop, shared by the worker thread and Electron's utility
 * process: runs jobs as they come, forwards progress (throttled, so a fast
 * loop does not flood the front end; a progress with a note always goes) and
 * honours cancel requests. `loadHandler` is the job registry's, or a test's.
 */
export function serveCompute(port: ComputePort, loadHandler: (kind: JobKind) => Promise<JobHandler> = loadJobHandler): void {
  const cancelled = new Set<string>();
  port.onMessage((message) => {
    if (message.type === 'cancel') cancelled.add(message.id);
    else void run(message);
  });

  async function run(message: Extract<ToCompute, { type: 'run' }>): Promise<void> {
    const { id } = message;
    let lastPost = 0;
    try {
      const handler = await loadHandler(message.kind);
      // The params crossed a thread untyped; the manager typed them at start and each handler parses them again.
      const result = await handler(message.params as never, {
        projectPath: message.projectPath,
        isCancelled: () => cancelled.has(id),
        progress: (progress) => {
          const now = performance.now();
          if (now - lastPost < 100 && progress.done < progress.total && progress.note === undefined) return;
          lastPost = now;
          port.post({ type: 'progress', id, progress });
        },
      });
      if (cancelled.has(id)) port.post({ type: 'failed', id, error: 'cancelled', cancelled: true });
      else port.post({ type: 'done', id, result });
    } catch (err) {
      const wasCancel = err instanceof JobCancelled || cancelled.has(id);
      port.post({ type: 'failed', id, error: wasCancel ? 'cancelled' : messageOf(err), cancelled: wasCancel });
    } finally {
      cancelled.delete(id);
    }
  }
}
