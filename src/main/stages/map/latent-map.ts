import { MAP_ACTIVE, MAP_EXCLUDED, type LatentMap, type LatentMapPage, type MapBounds } from '../../../shared/domain';
import { indexInAscending } from '../../../shared/ascending-search';
import { embeddingFingerprint, fingerprintOfIds } from '../../store/graph-store';
import type { Db } from '../../store/database';
import { iterateCurrentAngles } from '../../store/annotations';
import { excludedSampleIds } from '../../store/samples';
import { currentModelId } from '../../store/settings';
import { loadEmbeddings } from '../../store/embedding-store';
import { loadProjection, saveProjection, type Projection } from '../../store/latent-map-store';
import { pca, project } from '../../core/pca';

/**
 * The 2-D PCA of one model's embeddings: every embedded sample, excluded ones
 * too (the map colours them). PCA is fit on all of them, so excluding or
 * restoring a sample never moves the axes or any point. O(N·d²): seconds at
 * 100,000 samples, so the app runs it in the map job, never on the thread
 * that answers requests.
 */
export function computeProjection(db: Db, modelId: number): Projection {
  const matrix = loadEmbeddings(db, modelId, { includeExcluded: true });
  const fingerprint = fingerprintOfIds(matrix.ids);
  if (matrix.count === 0) return { modelId, fingerprint, dimension: matrix.dim, ids: matrix.ids, x: new Float32Array(0), y: new Float32Array(0), explainedVariance: [0, 0] };
  const model = pca(matrix.vectors, matrix.count, matrix.dim, 2);
  const [px, py] = project(matrix.vectors, matrix.count, matrix.dim, model);
  return {
    modelId,
    fingerprint,
    dimension: matrix.dim,
    ids: matrix.ids,
    x: Float32Array.from(px!),
    y: py ? Float32Array.from(py) : new Float32Array(matrix.count),
    explainedVariance: [model.explained[0] ?? 0, model.explained[1] ?? 0],
  };
}

/** The stored projection of a model if it still matches its embeddings, else null. */
export function freshProjection(db: Db, modelId: number): Projection | null {
  const stored = loadProjection(db, modelId);
  return stored && stored.fingerprint === embeddingFingerprint(db, modelId) ? stored : null;
}


/**
 * The map as the contract carries it: the projection's rows with each
 * sample's current status and label. Labels and exclusions are few next to
 * the pool, so this walks those, not the 100,000 rows.
 */
export function mapOf(db: Db, modelId: number | null, p: Projection | null, job: string | null): LatentMap {
  const n = p?.ids.length ?? 0;
  const status = new Uint8Array(n).fill(MAP_ACTIVE);
  const angles = new Float32Array(n).fill(NaN);
  if (p && n > 0) {
    for (const id of excludedSampleIds(db)) {
      const row = indexInAscending(p.ids, id);
      if (row >= 0) status[row] = MAP_EXCLUDED;
    }
    for (const [id, angle] of iterateCurrentAngles(db)) {
      const row = indexInAscending(p.ids, id);
      if (row >= 0 && angle !== null) angles[row] = angle;
    }
  }
  return {
    modelId,
    state: job === null ? 'ready' : 'computing',
    job,
    count: n,
    dimension: p?.dimension ?? 0,
    ids: p?.ids ?? new Int32Array(0),
    x: p?.x ?? new Float32Array(0),
    y: p?.y ?? new Float32Array(0),
    explainedVariance: p?.explainedVariance ?? [0, 0],
    angles,
    status,
  };
}

/** Extent of a projection's points, kept per projection: every part of a paged load carries it. */
const boundsOfProjection = new WeakMap<Float32Array, MapBounds>();

function boundsOf(p: Projection): MapBounds {
  const known = boundsOfProjection.get(p.x);
  if (known) return known;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < p.x.length; i++) {
    const x = p.x[i]!, y = p.y[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const bounds = maxX >= minX && maxY >= minY ? { minX, maxX, minY, maxY } : { minX: 0, maxX: 0, minY: 0, maxY: 0 };
  boundsOfProjection.set(p.x, bounds);
  return bounds;
}

/**
 * Rows part, part + parts, … of the map as mapOf would give them, with the
 * whole map's extent: a view draws each part as it arrives, and every part
 * is an even sample of the map, so the first already shows its shape.
 */
export function mapPageOf(db: Db, modelId: number | null, p: Projection | null, job: string | null, part: number, parts: number): LatentMapPage {
  const total = p?.ids.length ?? 0;
  const n = part < total ? Math.ceil((total - part) / parts) : 0;
  const ids = new Int32Array(n);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const status = new Uint8Array(n).fill(MAP_ACTIVE);
  if (p) {
    for (let j = 0, row = part; j < n; j++, row += parts) {
      ids[j] = p.ids[row]!;
      x[j] = p.x[row]!;
      y[j] = p.y[row]!;
    }
    for (const id of excludedSampleIds(db)) {
      const row = indexInAscending(p.ids, id);
      if (row >= part && (row - part) % parts === 0) status[(row - part) / parts] = MAP_EXCLUDED;
    }
  }
  return {
    modelId,
    state: job === null ? 'ready' : 'computing',
    job,
    version: p ? `${p.modelId}:${p.fingerprint}` : `${modelId ?? 'none'}:empty`,
    part,
    parts,
    total,
    bounds: p ? boundsOf(p) : { minX: 0, maxX: 0, minY: 0, maxY: 0 },
    explainedVariance: p?.explainedVariance ?? [0, 0],
    ids,
    x,
    y,
    status,
  };
}

/**
 * The current model's map, computing and storing the projection here if it
 * is missing or stale: for the CLI and scripts, which have no other thread
 * to wait on. The app goes through LatentMapService instead.
 */
export function latentMap(db: Db): LatentMap {
  const modelId = currentModelId(db);
  if (modelId === null) return mapOf(db, null, null, null);
  let p = freshProjection(db, modelId);
  if (!p) {
    p = computeProjection(db, modelId);
    try {
      saveProjection(db, p);
    } catch {
      // A read-only or full project still gets its map; it is computed again next time.
    }
  }
  return mapOf(db, modelId, p, null);
}
