import type { selectionRequests } from '../../shared/contract/selection-requests';
import { SelectionService } from '../selection/selection-service';
import type { HandlersFor } from './handler-types';
import type { Session } from './session';

const CACHE_KEY = 'selection';

/**
 * The session's selection service, created on first use and kept in
 * session.caches (dropped when another project opens). After any change of
 * labels, samples, embeddings or settings it brings the queue up to date at
 * once, off the request path, so the next sample is ready before the UI asks.
 */
export function selectionFor(session: Session): SelectionService {
  const cached = session.caches.get(CACHE_KEY);
  if (cached instanceof SelectionService) return cached;
  const service = new SelectionService(session.project.db);
  session.caches.set(CACHE_KEY, service);
  const unsubscribe = session.events.subscribe((event) => {
    if (session.caches.get(CACHE_KEY) !== service) {
      unsubscribe();
      return;
    }
    if (event.type !== 'projectChanged' || event.what.includes('project')) return;
    setImmediate(() => {
      if (session.caches.get(CACHE_KEY) !== service || !session.hasProject) return;
      try {
        service.page(undefined, 0, 1);
      } catch {
        // No embeddings yet, or the project closed: the next request reports it.
      }
    });
  });
  return service;
}

export function selectionHandlers(session: Session): HandlersFor<typeof selectionRequests> {
  return {
    getQueue: ({ offset, limit, strategy }) => selectionFor(session).page(strategy, offset, limit),
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
    clearSkips: () => {
      const result = selectionFor(session).clearSkips();
      if (result.cleared > 0) session.changed(['queue']);
      return result;
    },
    computeQueue: () => session.startJob('queue', { strategy: 'fps' }),
    getCoverage: () => selectionFor(session).coverage(),
  };
}
