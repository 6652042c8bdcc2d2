import type { duplicatesRequests } from '../../../shared/contract/duplicates-requests';
import { clearPropagatedLabels, keepOneExcludeRest, propagateLabel } from '../../stages/duplicates/cluster-actions';
import { duplicateReport } from '../../stages/duplicates/duplicate-report';
import { saveThreshold } from '../../stages/duplicates/threshold-setting';
import { writeOrExplain } from '../../store/database';
import { currentRegressorId } from '../../store/prediction-store';
import { currentModelId } from '../../store/settings';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function duplicatesHandlers(session: Session): HandlersFor<typeof duplicatesRequests> {
  return {
    buildNeighbourGraph: ({ k }) => session.startJob('duplicates', { k }),
    duplicateClusters: ({ threshold, offset, limit }) => duplicateReport(session.project.db, session.services, { threshold, offset, limit }),
    setDuplicateThreshold: ({ threshold }) => {
      const { db } = session.project;
      writeOrExplain(() => saveThreshold(db, currentModelId(db), threshold));
      return { threshold };
    },
    keepOneExcludeRest: ({ keepId, memberIds }) => {
      const result = keepOneExcludeRest(session.project.db, keepId, memberIds);
      session.changed(['samples', 'queue']);
      return result;
    },
    propagateClusterLabel: ({ fromId, toIds, maxSpread }) => {
      const { db, author } = session.project;
      const result = propagateLabel(db, author, fromId, toIds, { maxSpread, regressorId: currentRegressorId(db) });
      if (result.propagated.length > 0) session.changed(['labels', 'queue']);
      return result;
    },
    clearPropagatedLabels: ({ sampleIds }) => {
      const { db, author } = session.project;
      const result = clearPropagatedLabels(db, author, sampleIds);
      if (result.cleared.length > 0) session.changed(['labels', 'queue']);
      return result;
    },
  };
}
