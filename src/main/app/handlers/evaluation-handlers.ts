import type { evaluationRequests } from '../../../shared/contract/evaluation-requests';
import { budgetsAbovePool } from '../../../shared/evaluation-wording';
import { FarpointError } from '../../core/errors';
import { getEvaluation, listEvaluations } from '../../store/evaluation-store';
import { labeledEmbeddedCount } from '../../store/evaluation-pool';
import { predictionFor } from '../../store/prediction-store';
import { attributeNames } from '../../store/sample-attributes';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function evaluationHandlers(session: Session): HandlersFor<typeof evaluationRequests> {
  return {
    startEvaluation: (settings) => {
      // Refused before any work: a budget the pool cannot fill would only be reported as skipped at the end.
      const refusal = budgetsAbovePool(settings.budgets, labeledEmbeddedCount(session.project.db), settings.testFraction);
      if (refusal) throw new FarpointError(refusal, 400);
      return session.startJob('evaluate', settings);
    },
    listEvaluations: () => listEvaluations(session.project.db),
    getEvaluation: ({ id }) => getEvaluation(session.project.db, id),
    evaluationGroupColumns: () => attributeNames(session.project.db),
    trainOnLabels: (arg) => session.startJob('predict', arg),
    getPrediction: ({ sampleId }) => predictionFor(session.project.db, sampleId),
  };
}
