import type { LatentMap, SampleStatus } from '../../shared/domain';
import type { Db } from '../project/database';
import { loadCurrentEmbeddings } from './embedding-store';
import { pca, project } from './pca';
import { currentModelId } from '../project/settings';

interface Projection {
  key: string;
  modelId: number | null;
  count: number;
  dim: number;
  ids: number[];
  x: number[];
  y: number[];
  explainedVariance: [number, number];
}

/**
 * The projection depends only on the current model's vectors, so it is kept
 * per open project and rebuilt when the model or its number of embeddings
 * changes: repeated map requests (every status or label change redraws the
 * map) then cost two small queries instead of a PCA on the main thread.
 */
const projections = new WeakMap<Db, Projection>();

function projectionKey(db: Db): string {
  const modelId = currentModelId(db);
  if (modelId === null) return 'none';
  const n = (db.prepare('SELECT COUNT(*) AS n FROM embeddings WHERE model_id = ?').get(modelId) as { n: number }).n;
  return `${modelId}:${n}`;
}

function projectionOf(db: Db): Projection {
  const key = projectionKey(db);
  const cached = projections.get(db);
  if (cached && cached.key === key) return cached;
  const matrix = loadCurrentEmbeddings(db, { includeExcluded: true });
  let projection: Projection;
  if (!matrix || matrix.count === 0) {
    projection = { key, modelId: matrix?.modelId ?? null, count: 0, dim: matrix?.dim ?? 0, ids: [], x: [], y: [], explainedVariance: [0, 0] };
  } else {
    const model = pca(matrix.vectors, matrix.count, matrix.dim, 2);
    const [px, py] = project(matrix.vectors, matrix.count, matrix.dim, model);
    projection = {
      key,
      modelId: matrix.modelId,
      count: matrix.count,
      dim: matrix.dim,
      ids: Array.from(matrix.ids),
      x: Array.from(px!, (v) => Math.fround(v)),
      y: py ? Array.from(py, (v) => Math.fround(v)) : new Array<number>(matrix.count).fill(0),
      explainedVariance: [model.explained[0] ?? 0, model.explained[1] ?? 0],
    };
  }
  projections.set(db, projection);
  return projection;
}

/**
 * The 2-D PCA map of the current model's embeddings: every embedded sample,
 * excluded ones too (the map colours them), with its status and label.
 * PCA is fit on all of them, so excluding or restoring a sample never moves
 * the axes or any point; the excluded share of a pool is small next to it.
 */
export function latentMap(db: Db): LatentMap {
  const p = projectionOf(db);
  const labels = new Map((db.prepare('SELECT sample_id, angle FROM current_labels').all() as { sample_id: number; angle: number }[]).map((r) => [r.sample_id, r.angle]));
  const excluded = new Set((db.prepare("SELECT id FROM samples WHERE status = 'excluded'").pluck().all() as number[]));
  return {
    modelId: p.modelId,
    count: p.count,
    dimension: p.dim,
    ids: p.ids,
    x: p.x,
    y: p.y,
    explainedVariance: p.explainedVariance,
    angles: p.ids.map((id) => labels.get(id) ?? null),
    status: p.ids.map((id): SampleStatus => (excluded.has(id) ? 'excluded' : 'active')),
  };
}
