import type { selectionRequests } from '../../../shared/contract/selection-requests';
import type { JobInfo, QueueComputing } from '../../../shared/domain';
import type { StoredOrderStrategy } from '../../store/queue-order-store';
import { isCover } from '../../core/selection/queue-state';
import { DENSITY_MAIN_THREAD_POOL, isDensity, SelectionService } from '../../stages/select/selection-service';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

/**
 * Distance evaluations a request may spend on furthest-point picks on the
 * main thread (about 20 ms at d = 32): 40 picks at N = 100,000, the whole
 * order of a few thousand samples. Longer work goes to the queue job.
 */
export const MAIN_THREAD_EVALUATIONS = 4_000_000;

/**
 * The queue job of this session computing the order, started if none is
 * queued or running; when it ends the front ends hear 'queue' and ask again
 * (and adopt what it stored).
 */
function queueJob(session: Session, strategy: StoredOrderStrategy): JobInfo {
  const running = session.jobs.list().find((j) => j.kind === 'queue' && (j.state === 'queued' || j.state === 'running'));
  if (running) return running;
  const job = session.startJob('queue', { strategy });
  void session.jobs.waitFor(job.id).then(
    () => session.hasProject && session.changed(['queue']),
    () => undefined,
  );
  return job;
}

function computing(job: JobInfo, total: number): QueueComputing {
  return { jobId: job.id, done: job.progress.unit === 'samples' ? job.progress.done : 0, total };
}

/**
 * The session's selection service, created on first use and kept in
 * the session's project services (dropped when another project opens). After any change of
 * labels, samples, embeddings or settings it brings the queue up to date at
 * once, off the request path, so the next sample is ready before the UI asks.
 */
export function selectionFor(session: Session): SelectionService {
  const cached = session.services.selection;
  if (cached) return cached;
  const service = new SelectionService(session.project.db, undefined, { densityMainThreadPool: DENSITY_MAIN_THREAD_POOL });
  session.services.selection = service;
  const unsubscribe = session.events.subscribe((event) => {
    if (session.services.selection !== service) {
      unsubscribe();
      return;
    }
    if (event.type !== 'projectChanged' || event.what.includes('project')) return;
    setImmediate(() => {
      if (session.services.selection !== service || !session.hasProject) return;
      try {
        service.pageWithin(undefined, 0, 1, service.picksFor(MAIN_THREAD_EVALUATIONS));
      } catch {
        // No embeddings yet, or the project closed: the next request reports it.
      }
    });
  });
  return service;
}

export function selectionHandlers(session: Session): HandlersFor<typeof selectionRequests> {
  return {
    getQueue: ({ offset, limit, strategy }) => {
      const service = selectionFor(session);
      const { page, pending } = service.pageWithin(strategy, offset, limit, service.picksFor(MAIN_THREAD_EVALUATIONS));
      return pending ? { ...page, computing: computing(queueJob(session, isCover(page.strategy) || isDensity(page.strategy) ? page.strategy : 'fps'), page.total) } : page;
    },
    nextToLabel: ({ strategy }) => selectionFor(session).next(strategy),
    skipSample: ({ sampleId }) => {
      const next = selectionFor(session).skip(sampleId);
      session.changed(['queue']);
      return next;
    },
    moveToFront: ({ sampleIds }) => {
      const result = selectionFor(session).moveToFront(sampleIds);
      if (result.moved > 0) session.changed(['queue']);
      return result;
    },
    clearFront: () => {
      const result = selectionFor(session).clearFront();
      if (result.cleared > 0) session.changed(['queue']);
      return result;
    },
    unskipSample: ({ sampleId }) => {
      const unskipped = selectionFor(session).unskip([sampleId]).length > 0;
      if (unskipped) session.changed(['queue']);
      return { unskipped };
    },
    clearSkips: () => {
      const result = selectionFor(session).clearSkips();
      if (result.cleared > 0) session.changed(['queue']);
      return result;
    },
    computeQueue: () => session.startJob('queue', { strategy: 'fps' }),
    getCoverage: () => selectionFor(session).coverage(),
  };
}
