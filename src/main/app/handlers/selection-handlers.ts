import { FarpointError } from '../../core/errors';
import type { selectionRequests } from '../../../shared/contract/selection-requests';
import type { JobInfo, QueueComputing, QueuePage } from '../../../shared/domain';
import type { StoredOrderStrategy } from '../../store/queue-order-store';
import { isCover } from '../../core/selection/queue-state';
import { readSettings } from '../../store/settings';
import { DENSITY_MAIN_THREAD_POOL, isDensity, SelectionService, SLICE_BUILD_POOL } from '../../stages/select/selection-service';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

/**
 * Distance evaluations a request may spend on furthest-point picks on the
 * main thread: a page of picks at a few thousand samples, a handful at
 * 100,000 (where one pick can reach every row: uniform data defeats the
 * pruning), so at that size a page past the head comes from the queue job.
 */
export const MAIN_THREAD_EVALUATIONS = 1_000_000;

/**
 * Entries a queue job started by a page computes at least: the head (its
 * first chunk) and pages well past the first screens. A page further down
 * asks for twice its depth; the whole order is computed only on request
 * (computeQueue), so a job for one strategy never holds the compute worker
 * for the whole order of a large pool while another strategy waits.
 */
export const QUEUE_JOB_DEPTH = 1_000;

/**
 * The queue job of this session computing the order, started if none is
 * queued or running; when it ends the front ends hear 'queue' and ask again
 * (and adopt what it stored).
 */
function queueJob(session: Session, strategy: StoredOrderStrategy, depth: number): JobInfo {
  const running = session.jobs.list().find((j) => j.kind === 'queue' && (j.state === 'queued' || j.state === 'running'));
  if (running) return running;
  const job = session.startJob('queue', { strategy, upTo: Math.max(QUEUE_JOB_DEPTH, 2 * depth), need: depth });
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
  const service = new SelectionService(session.project.db, undefined, {
    densityMainThreadPool: DENSITY_MAIN_THREAD_POOL,
    sliceBuildPool: SLICE_BUILD_POOL,
    // A large pool's queue was built in slices: the front ends ask again (their pages so far were empty and pending).
    onBuilt: () => {
      if (session.services.selection === service && session.hasProject) session.changed(['queue']);
    },
  });
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

/**
 * A typiclust page with another batch size than the project's: a service of
 * its own for this request (the session's keeps the project's batches), which
 * computes the order here and stores no batch (see SelectionService's typiclustConfig).
 */
function typiclustPreview(session: Session, service: SelectionService, batch: number, offset: number, limit: number): QueuePage {
  // Computed here, on the caller's thread: a large pool's clustering would hold the server for seconds.
  if (service.densityOffThreadNow()) {
    throw new FarpointError(
      `a TypiClust preview with batch ${batch} is computed within the request, so it is offered on pools of up to ${DENSITY_MAIN_THREAD_POOL.toLocaleString('en')} samples; ` +
        "on this project set the TypiClust batch size in the project's settings instead (its queue is computed in the background)",
      409,
    );
  }
  return new SelectionService(session.project.db, undefined, { typiclustBatch: batch }).page('typiclust', offset, limit);
}

export function selectionHandlers(session: Session): HandlersFor<typeof selectionRequests> {
  return {
    getQueue: ({ offset, limit, strategy, typiclustBatch }) => {
      const service = selectionFor(session);
      if (typiclustBatch !== undefined && service.strategyOf(strategy) === 'typiclust' && typiclustBatch !== readSettings(session.project.db).typiclustBatch) {
        return typiclustPreview(session, service, typiclustBatch, offset, limit);
      }
      const { page, pending } = service.pageWithin(strategy, offset, limit, service.picksFor(MAIN_THREAD_EVALUATIONS));
      if (!pending) return page;
      const job = queueJob(session, isCover(page.strategy) || isDensity(page.strategy) ? page.strategy : 'fps', offset + limit);
      return { ...page, computing: computing(job, page.total) };
    },
    // These need the built queue: while a large pool's is built in slices they wait for it (never blocking the thread).
    nextToLabel: async ({ strategy }) => {
      const service = selectionFor(session);
      await service.ready();
      return service.next(strategy);
    },
    skipSample: async ({ sampleId }) => {
      const service = selectionFor(session);
      await service.ready();
      const next = service.skip(sampleId);
      session.changed(['queue']);
      return next;
    },
    moveToFront: async ({ sampleIds }) => {
      const service = selectionFor(session);
      await service.ready();
      const result = service.moveToFront(sampleIds);
      if (result.moved > 0) session.changed(['queue']);
      return result;
    },
    clearFront: async () => {
      const service = selectionFor(session);
      await service.ready();
      const result = service.clearFront();
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
    getCoverage: async () => {
      const service = selectionFor(session);
      await service.ready();
      return service.coverage();
    },
  };
}
