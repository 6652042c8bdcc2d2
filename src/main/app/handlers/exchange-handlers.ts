import type { exchangeRequests } from '../../../shared/contract/exchange-requests';
import { computeAgreement, listConflicts } from '../../stages/labels/agreement';
import { mergeLabelPackFile, writeLabelPack } from '../label-exchange';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function exchangeHandlers(session: Session): HandlersFor<typeof exchangeRequests> {
  return {
    exportLabelPack: ({ path }) => writeLabelPack(session.project.db, session.project.path, path),
    mergeLabelPack: ({ path }) => {
      const summary = mergeLabelPackFile(session.project.db, path);
      session.changed(['labels']);
      return summary;
    },
    getAgreement: () => computeAgreement(session.project.db),
    listLabelConflicts: ({ tolerance }) => listConflicts(session.project.db, tolerance),
  };
}
