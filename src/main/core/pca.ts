/**
 * Principal components of row vectors, for the 2-D latent map. The d×d
 * covariance is accumulated in float64 (O(N·d²)), and the top components come
 * from power iteration with deflation: d is the latent dimension (≤ 512), so
 * this is milliseconds for tens of thousands of samples.
 */
export interface Pca {
  /** components × d, unit vectors, largest variance first; the largest-magnitude entry of each is positive (a stable sign). */
  components: Float64Array[];
  /** Variance along each component. */
  variances: number[];
  /** Fraction of the total variance along each component. */
  explained: number[];
  mean: Float64Array;
}

export function pca(vectors: Float32Array, count: number, dim: number, components = 2): Pca {
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j]! += vectors[i * dim + j]!;
  for (let j = 0; j < dim; j++) mean[j]! /= Math.max(1, count);
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) row[j] = vectors[i * dim + j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      const base = a * dim;
      for (let b = a; b < dim; b++) cov[base + b]! += ra * row[b]!;
    }
  }
  const denom = Math.max(1, count - 1);
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = cov[a * dim + b]! / denom;
      cov[a * dim + b] = v;
      cov[b * dim + a] = v;
    }
  }
  let total = 0;
  for (let a = 0; a < dim; a++) total += cov[a * dim + a]!;

  const found: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < Math.min(components, dim); c++) {
    const v = powerIteration(cov, dim, found, c);
    const lambda = rayleigh(cov, dim, v);
    found.push(v);
    variances.push(Math.max(0, lambda));
  }
  return { components: found, variances, explained: variances.map((l) => (total > 0 ? l / total : 0)), mean };
}

function powerIteration(cov: Float64Array, dim: number, previous: Float64Array[], salt: number): Float64Array {
  // Deterministic start: not orthogonal to any eigenvector in practice.
  let v = new Float64Array(dim).map((_, i) => 1 + ((i * 7919 + salt * 104729) % 97) / 97);
  orthonormalise(v, previous);
  let next = new Float64Array(dim);
  for (let iter = 0; iter < 1000; iter++) {
    next.fill(0);
    for (let a = 0; a < dim; a++) {
      let s = 0;
      const base = a * dim;
      for (let b = 0; b < dim; b++) s += cov[base + b]! * v[b]!;
      next[a] = s;
    }
    if (!orthonormalise(next, previous)) return v;
    let change = 0;
    for (let a = 0; a < dim; a++) change = Math.max(change, Math.abs(next[a]! - v[a]!));
    [v, next] = [next, v];
    if (change < 1e-10) break;
  }
  let largest = 0;
  for (let a = 0; a < dim; a++) if (Math.abs(v[a]!) > Math.abs(v[largest]!)) largest = a;
  if (v[largest]! < 0) for (let a = 0; a < dim; a++) v[a] = -v[a]!;
  return v;
}

/** Removes the components along `basis` and normalises; false when nothing is left (rank exhausted). */
function orthonormalise(v: Float64Array, basis: Float64Array[]): boolean {
  for (const u of basis) {
    let dot = 0;
    for (let a = 0; a < v.length; a++) dot += v[a]! * u[a]!;
    for (let a = 0; a < v.length; a++) v[a]! -= dot * u[a]!;
  }
  let norm = 0;
  for (let a = 0; a < v.length; a++) norm += v[a]! * v[a]!;
  norm = Math.sqrt(norm);
  if (norm < 1e-300) return false;
  for (let a = 0; a < v.length; a++) v[a]! /= norm;
  return true;
}

function rayleigh(cov: Float64Array, dim: number, v: Float64Array): number {
  let s = 0;
  for (let a = 0; a < dim; a++) {
    let row = 0;
    for (let b = 0; b < dim; b++) row += cov[a * dim + b]! * v[b]!;
    s += v[a]! * row;
  }
  return s;
}

/** Coordinates of every row along the components (centred). */
export function project(vectors: Float32Array, count: number, dim: number, model: Pca): Float64Array[] {
  return model.components.map((u) => {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (vectors[i * dim + j]! - model.mean[j]!) * u[j]!;
      out[i] = s;
    }
    return out;
  });
}
