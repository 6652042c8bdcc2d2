import type { LatentMap, SampleStatus } from '../../shared/domain';
import type { Db } from '../project/database';
import { loadCurrentEmbeddings } from './embedding-store';
import { pca, project } from './pca';

/**
 * The 2-D PCA map of the current model's embeddings: every embedded sample,
 * excluded ones too (the map colours them), with its status and label.
 * PCA is fit on all of them, so excluding or restoring a sample never moves
 * the axes or any point; the excluded share of a pool is small next to it.
 */
export function latentMap(db: Db): LatentMap {
  const matrix = loadCurrentEmbeddings(db, { includeExcluded: true });
  if (!matrix || matrix.count === 0) {
    return { modelId: matrix?.modelId ?? null, count: 0, dimension: matrix?.dim ?? 0, ids: [], x: [], y: [], explainedVariance: [0, 0], angles: [], status: [] };
  }
  const model = pca(matrix.vectors, matrix.count, matrix.dim, 2);
  const [px, py] = project(matrix.vectors, matrix.count, matrix.dim, model);
  const labels = new Map((db.prepare('SELECT sample_id, angle FROM current_labels').all() as { sample_id: number; angle: number }[]).map((r) => [r.sample_id, r.angle]));
  const excluded = new Set((db.prepare("SELECT id FROM samples WHERE status = 'excluded'").pluck().all() as number[]));
  const ids = Array.from(matrix.ids);
  return {
    modelId: matrix.modelId,
    count: matrix.count,
    dimension: matrix.dim,
    ids,
    x: Array.from(px!, (v) => Math.fround(v)),
    y: py ? Array.from(py, (v) => Math.fround(v)) : new Array<number>(matrix.count).fill(0),
    explainedVariance: [model.explained[0] ?? 0, model.explained[1] ?? 0],
    angles: ids.map((id) => labels.get(id) ?? null),
    status: ids.map((id): SampleStatus => (excluded.has(id) ? 'excluded' : 'active')),
  };
}
