import type { annotationRequests } from '../../../shared/contract/annotation-requests';
import {
  annotationHistory,
  annotatorCounts,
  clearLabel,
  entryBefore,
  restoreLabel,
  saveHandLabel,
  setSampleStatus,
  undoLastHandLabel,
} from '../../store/annotations';
import { reapplyEntries, revertEntries } from '../../store/entry-restore';
import { getSample } from '../../store/samples';
import { similarLabeled } from '../../stages/labels/similar-labeled';
import { annotatorInfo, setAnnotator } from '../annotator';
import type { HandlersFor } from './handler-types';
import { queueRankFor } from './queue-rank';
import type { Session } from '../session';

export function annotationHandlers(session: Session): HandlersFor<typeof annotationRequests> {
  return {
    saveLabel: (arg) => {
      const { db, author } = session.project;
      const queueRank = queueRankFor(session, arg.sampleId, arg.strategy) ?? arg.queueRank;
      const wasExcluded = getSample(db, arg.sampleId).status === 'excluded';
      const record = saveHandLabel(db, author, { ...arg, queueRank });
      session.changed(wasExcluded ? ['labels', 'samples', 'queue'] : ['labels']);
      return record;
    },
    revertLabel: ({ annotationId }) => {
      const { db, author } = session.project;
      const { sampleId, before } = entryBefore(db, annotationId);
      const record = restoreLabel(db, author, sampleId, before, annotationId);
      session.changed(['labels']);
      return record;
    },
    reapplyLabel: ({ annotationId }) => {
      const { db, author } = session.project;
      const { sampleId } = entryBefore(db, annotationId);
      const current = annotationHistory(db, sampleId).at(-1)!;
      const record = restoreLabel(db, author, sampleId, annotationId, current.id);
      session.changed(['labels']);
      return record;
    },
    revertLabels: ({ annotationIds }) => {
      const { db, author } = session.project;
      const written = revertEntries(db, author, annotationIds);
      session.changed(['labels', 'queue']);
      return { written };
    },
    reapplyLabels: ({ annotationIds }) => {
      const { db, author } = session.project;
      const written = reapplyEntries(db, author, annotationIds);
      session.changed(['labels', 'queue']);
      return { written };
    },
    undoLastLabel: () => {
      const { db, author } = session.project;
      const record = undoLastHandLabel(db, author);
      if (record) session.changed(['labels']);
      return record;
    },
    clearLabel: ({ sampleId }) => {
      const { db, author } = session.project;
      const record = clearLabel(db, author, sampleId);
      session.changed(['labels']);
      return record;
    },
    setSampleStatus: ({ sampleIds, status }) => {
      const result = setSampleStatus(session.project.db, sampleIds, status, 'by hand');
      if (result.changed > 0) session.changed(['samples', 'queue']);
      return result;
    },
    getAnnotator: () => annotatorInfo(session.project),
    setAnnotator: ({ annotator }) => setAnnotator(session.project, annotator),
    annotatorCounts: () => annotatorCounts(session.project.db),
    annotationHistory: ({ sampleId }) => annotationHistory(session.project.db, sampleId),
    similarLabeled: ({ sampleId, limit }) => similarLabeled(session.project.db, sampleId, limit),
  };
}

