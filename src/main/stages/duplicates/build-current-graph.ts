import type { NeighbourGraphInfo } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { loadEmbeddings } from '../../store/embedding-store';
import { writeOrExplain, type Db } from '../../store/database';
import { currentModelId } from '../../store/settings';
import { buildNeighbourGraph, type BuildGraphOptions } from '../../core/duplicates/build-graph';
import { fingerprintOfIds, saveGraph } from '../../store/graph-store';

/**
 * Builds the neighbour graph of every embedded sample of the current model
 * (excluded ones too, so a cluster keeps its set-aside members and they can
 * be restored) and stores it in the project. Shared by the job and the CLI.
 */
export function buildCurrentGraph(db: Db, options: BuildGraphOptions = {}): NeighbourGraphInfo {
  const modelId = currentModelId(db);
  if (modelId === null) throw new FarpointError('the project has no embeddings yet: train the autoencoder and embed the samples first', 409);
  const embeddings = loadEmbeddings(db, modelId, { includeExcluded: true });
  if (embeddings.count < 2) throw new FarpointError(`model ${modelId} has embedded ${embeddings.count} sample(s); near-duplicates need at least 2`, 409);
  const built = buildNeighbourGraph(embeddings.vectors, embeddings.dim, embeddings.ids, options);
  return writeOrExplain(() => saveGraph(db, modelId, fingerprintOfIds(embeddings.ids), built));
}
