/**
 * Latent vectors as the evaluation handles them: `count` rows of `dim`
 * float32 values, row-major in one contiguous array (the layout the
 * embedding store returns), so the inner loops touch memory in order.
 */
export interface Points {
  vectors: Float32Array;
  dim: number;
  count: number;
}

export function makePoints(vectors: Float32Array, dim: number): Points {
  if (dim <= 0 || vectors.length % dim !== 0) throw new Error(`makePoints: ${vectors.length} values do not make vectors of ${dim}`);
  return { vectors, dim, count: vectors.length / dim };
}

/** Squared Euclidean distance between row i of a and row j of b. */
export function squaredDistance(a: Points, i: number, b: Points, j: number): number {
  const dim = a.dim;
  const va = a.vectors;
  const vb = b.vectors;
  const oa = i * dim;
  const ob = j * dim;
  let sum = 0;
  for (let d = 0; d < dim; d++) {
    const diff = va[oa + d]! - vb[ob + d]!;
    sum += diff * diff;
  }
  return sum;
}

/** The rows `indices` of `points`, copied into a new contiguous set (row r is points row indices[r]). */
export function subsetPoints(points: Points, indices: ArrayLike<number>): Points {
  const dim = points.dim;
  const out = new Float32Array(indices.length * dim);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    out.set(points.vectors.subarray(i * dim, (i + 1) * dim), r * dim);
  }
  return { vectors: out, dim, count: indices.length };
}
