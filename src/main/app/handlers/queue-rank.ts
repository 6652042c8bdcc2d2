import type { StrategyName } from '../../../shared/domain';
import { labeledCount } from '../../store/annotations';
import { MAIN_THREAD_EVALUATIONS, selectionFor } from './selection-handlers';
import type { Session } from '../session';

/**
 * The queue rank stored with a label: the sample's position counted from the
 * start of labeling — labels already stored plus its position in the current
 * queue, read at the moment of the save. Labels made in queue order read
 * 1, 2, 3, …, whatever the UI had prefetched; a sample opened out of order
 * stores where it stood then. Null where it is not in the queue (no
 * embeddings yet, excluded, or further down than is cheap to look).
 */
export function queueRankFor(session: Session, sampleId: number, strategy: StrategyName | null): number | null {
  const service = selectionFor(session);
  const position = service.positionOf(sampleId, strategy ?? undefined, service.picksFor(MAIN_THREAD_EVALUATIONS));
  return position === null ? null : labeledCount(session.project.db) + position;
}
