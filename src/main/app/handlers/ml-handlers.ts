import type { mlRequests } from '../../../shared/contract/ml-requests';
import type { BackendInfo } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { countEmbeddings } from '../../store/embedding-store';
import { LatentMapService } from '../latent-map-service';
import { getAutoencoder, listAutoencoders } from '../../store/model-store';
import { setCurrentModelId } from '../../store/settings';
import type { HandlersFor } from './handler-types';
import type { Session } from '../session';

export function mlHandlers(session: Session): HandlersFor<typeof mlRequests> {
  const maps = new LatentMapService(session);
  return {
    startTraining: (arg) => session.startJob('train', arg),
    startEmbedding: (arg) => session.startJob('embed', arg),
    listModels: () => listAutoencoders(session.project.db),
    useModel: ({ modelId }) => {
      const { db } = session.project;
      const model = getAutoencoder(db, modelId);
      if (model.state !== 'ready') throw new FarpointError(`model ${modelId} is not trained (state: ${model.state})`, 409);
      if (countEmbeddings(db, modelId) === 0) throw new FarpointError(`model ${modelId} has no embeddings yet: embed with it first`, 409);
      setCurrentModelId(db, modelId);
      session.changed(['models', 'embeddings', 'queue']);
      return getAutoencoder(db, modelId);
    },
    // Reads the projection the map job stored: no PCA on the thread that answers requests.
    getLatentMap: () => maps.get(),
    getLatentMapPage: ({ part, parts }) => maps.page(part, parts),
    getBackendInfo: async (): Promise<BackendInfo> => {
      // The same choice the compute side makes: same code, same environment. Loaded on first use, so a
      // front door that builds the handlers (the CLI, for every command) does not load TensorFlow.js until asked.
      const { loadTf } = await import('../../stages/train/tf-backend');
      const runtime = await loadTf();
      return { backend: runtime.backend, reason: runtime.reason, fast: runtime.backend !== 'cpu' };
    },
  };
}
