import type { evaluationRequests } from '../../../shared/contract/evaluation-requests';
import { getEvaluation, listEvaluations } from '../../store/evaluation-store';
import { predictionFor } from '../../store/prediction-store';
import { attributeNames } from '../../stages/labels/sample-attributes';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function evaluationHandlers(session: Session): HandlersFor<typeof evaluationRequests> {
  return {
    startEvaluation: (settings) => session.startJob('evaluate', settings),
    listEvaluations: () => listEvaluations(session.project.db),
    getEvaluation: ({ id }) => getEvaluation(session.project.db, id),
    evaluationGroupColumns: () => attributeNames(session.project.db),
    trainOnLabels: (arg) => session.startJob('predict', arg),
    getPrediction: ({ sampleId }) => predictionFor(session.project.db, sampleId),
  };
}
