import type { SimilarLabeled } from '../../../shared/domain';
import { nearestRowsTo } from '../../core/duplicates/exact-knn';
import type { Db } from '../../store/database';
import { loadEmbedding, loadLabeledEmbeddings } from '../../store/embedding-store';
import { currentModelId } from '../../store/settings';

/**
 * The `limit` labeled samples nearest to `sampleId` in the current model's
 * latent space. An exact scan: the labeled set is small (hundreds to a few
 * thousand rows), so an index would cost more to keep fresh than it saves,
 * and only the labeled rows' vectors are read. Empty when there is no current
 * model, the sample has no vector from it, or nothing labeled has one.
 */
export function similarLabeled(db: Db, sampleId: number, limit: number): SimilarLabeled[] {
  const modelId = currentModelId(db);
  if (modelId === null) return [];
  const query = loadEmbedding(db, modelId, sampleId);
  if (!query || query.length === 0) return [];
  const labeled = loadLabeledEmbeddings(db, modelId, query.length);
  // One extra: the sample itself may be labeled, and it is no neighbour of itself.
  const { rows, distances } = nearestRowsTo(query, labeled.vectors, labeled.dim, labeled.ids.length, limit + 1);
  const out: SimilarLabeled[] = [];
  rows.forEach((row, i) => {
    const id = labeled.ids[row]!;
    if (id === sampleId || out.length >= limit) return;
    out.push({ sampleId: id, angle: labeled.angles[row]!, distance: distances[i]!, source: labeled.sources[row]! });
  });
  return out;
}
