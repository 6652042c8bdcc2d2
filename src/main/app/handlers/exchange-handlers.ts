import type { exchangeRequests } from '../../../shared/contract/exchange-requests';
import { computeAgreement, listConflicts } from '../../stages/labels/agreement';
import { saveAdjudication } from '../../store/annotations';
import { getSample } from '../../store/samples';
import { mergeWithReport, writeLabelPack } from '../label-exchange';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function exchangeHandlers(session: Session): HandlersFor<typeof exchangeRequests> {
  return {
    exportLabelPack: ({ path }) => writeLabelPack(session.project.db, session.project.path, path),
    mergeLabelPack: ({ path, tolerance }) => {
      const report = mergeWithReport(session.project.db, path, tolerance);
      if (report.added > 0) session.changed(['labels']);
      return report;
    },
    getAgreement: () => computeAgreement(session.project.db),
    listLabelConflicts: ({ tolerance }) => listConflicts(session.project.db, tolerance),
    adjudicateLabel: ({ sampleId, angle }) => {
      const { db, author } = session.project;
      const wasExcluded = getSample(db, sampleId).status === 'excluded';
      const record = saveAdjudication(db, author, sampleId, angle);
      // An excluded sample comes back into the pool with its label, as a hand label brings it back.
      session.changed(wasExcluded ? ['labels', 'samples', 'queue'] : ['labels']);
      return record;
    },
  };
}
