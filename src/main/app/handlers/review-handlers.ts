import type { reviewRequests } from '../../../shared/contract/review-requests';
import type { ReviewActionResult } from '../../../shared/domain';
import { currentRegressorId } from '../../store/prediction-store';
import { reviewPage } from '../../store/review-query';
import { changeStatus } from '../../store/status-changes';
import type { HandlersFor } from './handler-types';
import { selectionFor } from './selection-handlers';
import type { Session } from '../session';

/** Skipped samples of this session; none when the queue cannot be built (no embeddings yet). */
function skippedIds(session: Session): number[] {
  try {
    return selectionFor(session).skippedIds();
  } catch {
    return [];
  }
}

export function reviewHandlers(session: Session): HandlersFor<typeof reviewRequests> {
  return {
    reviewSamples: (query) => {
      const { db } = session.project;
      return reviewPage(db, query, { skippedIds: skippedIds(session), regressorId: currentRegressorId(db) });
    },
    reviewAction: ({ action, sampleIds }): ReviewActionResult => {
      const { db, author } = session.project;
      if (action === 'clearSkip') {
        const skipped = new Set(skippedIds(session));
        const changed = skipped.size === 0 ? [] : selectionFor(session).unskip(sampleIds.filter((id) => skipped.has(id)));
        const done = new Set(changed);
        if (changed.length > 0) session.changed(['queue']);
        return { action, changed, unchanged: [...new Set(sampleIds)].filter((id) => !done.has(id)) };
      }
      const status = action === 'include' ? 'active' : 'excluded';
      const result = changeStatus(db, sampleIds, status, `${action} in review by ${author}`);
      if (result.changed.length > 0) session.changed(['samples', 'queue']);
      return { action, ...result };
    },
  };
}
