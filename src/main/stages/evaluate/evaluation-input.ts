import type { AngleMode } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { attributeNames, readSampleAttribute } from '../../store/sample-attributes';
import { loadCurrentEmbeddings } from '../../store/embedding-store';
import { activeLabeledSamples } from '../../store/evaluation-pool';
import type { Db } from '../../store/database';
import { readSettings } from '../../store/settings';
import { kMeans } from '../../core/evaluation/kmeans';
import { makePoints, type Points } from '../../core/evaluation/points';

/** The labeled samples an evaluation works on: those that are active, labeled and embedded. */
export interface EvaluationInput {
  /** Row r of every array below is sample sampleIds[r] (ascending). */
  sampleIds: number[];
  paths: string[];
  angles: Float64Array;
  points: Points;
  mode: AngleMode;
  embeddingModelId: number;
  /** Active labeled samples, embedded or not. */
  labeled: number;
}

export function loadEvaluationInput(db: Db): EvaluationInput {
  const embeddings = loadCurrentEmbeddings(db);
  if (!embeddings) throw new FarpointError('the project has no latent space yet: train the autoencoder and embed the images first', 409);
  const labeled = activeLabeledSamples(db);
  if (labeled.length === 0) throw new FarpointError('the project has no labels to evaluate on: import ground truth with `farpoint labels import` or label samples first', 409);
  const rowOf = new Map<number, number>();
  for (let r = 0; r < embeddings.count; r++) rowOf.set(embeddings.ids[r]!, r);
  const usable = labeled.filter(([id]) => rowOf.has(id));
  const dim = embeddings.dim;
  const vectors = new Float32Array(usable.length * dim);
  usable.forEach(([id], r) => {
    const e = rowOf.get(id)!;
    vectors.set(embeddings.vectors.subarray(e * dim, (e + 1) * dim), r * dim);
  });
  return {
    sampleIds: usable.map(([id]) => id),
    paths: usable.map(([, p]) => p),
    angles: Float64Array.from(usable, ([, , a]) => a),
    points: makePoints(vectors, dim),
    mode: readSettings(db).angleMode,
    embeddingModelId: embeddings.modelId,
    labeled: labeled.length,
  };
}

/**
 * Groups the grouped split keeps together, from an imported column: rows with
 * the same value are one group; a row without a value is a group of its own.
 */
export function splitGroups(db: Db, input: EvaluationInput, column: string): { group: Int32Array; from: string } {
  const values = columnValues(db, column);
  const ids = new Map<string, number>();
  const group = new Int32Array(input.sampleIds.length);
  input.sampleIds.forEach((id, r) => {
    const value = values.get(id);
    const key = value === undefined ? `\u0000row ${r}` : `=${value}`;
    if (!ids.has(key)) ids.set(key, ids.size);
    group[r] = ids.get(key)!;
  });
  return { group, from: `column '${column}'` };
}

/** An imported column's values by sample id; an unknown column is an error naming the ones there are. */
function columnValues(db: Db, column: string): Map<number, string> {
  const values = readSampleAttribute(db, column);
  if (values.size === 0) {
    const known = attributeNames(db);
    throw new FarpointError(
      `no imported column named '${column}'${known.length ? ` (the project has: ${known.join(', ')})` : ' (no label CSV with extra columns was imported)'}`,
    );
  }
  return values;
}

/**
 * The groups of the balanced error, one per row: the values of an imported
 * column (rows without one form the group "(none)"), or k-means clusters of
 * the latent space.
 */
export function evaluationGroups(
  db: Db,
  input: EvaluationInput,
  column: string | null,
  clusters: number,
  seed: number,
): { groups: (string | number)[]; from: string } {
  if (column !== null) {
    const values = columnValues(db, column);
    return { groups: input.sampleIds.map((id) => values.get(id) ?? '(none)'), from: `column '${column}'` };
  }
  const k = Math.min(clusters, input.points.count);
  const { assignment } = kMeans(input.points, k, { seed });
  return { groups: Array.from(assignment), from: `${k} k-means clusters of the latent space` };
}
