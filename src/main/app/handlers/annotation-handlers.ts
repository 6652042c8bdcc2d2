import type { annotationRequests } from '../../../shared/contract/annotation-requests';
import { annotationHistory, clearLabel, saveHandLabel, setSampleStatus, undoLastHandLabel } from '../../store/annotations';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function annotationHandlers(session: Session): HandlersFor<typeof annotationRequests> {
  return {
    saveLabel: (arg) => {
      const { db, author } = session.project;
      const record = saveHandLabel(db, author, arg);
      session.changed(['labels']);
      return record;
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
    annotationHistory: ({ sampleId }) => annotationHistory(session.project.db, sampleId),
  };
}
