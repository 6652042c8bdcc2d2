import { indexInAscending } from '../../../shared/ascending-search';
import { FarpointError } from '../../core/errors';
import type { Db } from '../../store/database';
import { countEmbeddings, embeddingBytes, embeddingRowsAfter } from '../../store/embedding-store';
import { currentModelId } from '../../store/settings';
import type { DistanceKernel } from '../../core/selection/distance-kernel';
import { createKernel, type KernelPreference } from '../../core/selection/kernel-factory';

/** The current model's vectors as a kernel's matrix: row i belongs to sample ids[i] (ascending). */
export interface SelectionMatrix {
  modelId: number;
  dim: number;
  ids: Int32Array;
  kernel: DistanceKernel;
}

/** Where the selection engine gets its vectors; swappable for tests and for other stores. */
export type SelectionMatrixLoader = (db: Db, preference?: KernelPreference) => SelectionMatrix | null;

/**
 * Reads every vector of the current model (excluded samples included, so
 * restoring one needs no reload) straight into the distance kernel's memory,
 * in ascending sample id. This is the one copy of the matrix: the count and
 * dimension are read first so the kernel is allocated once at its final size,
 * and each BLOB is copied into place as SQLite returns it. (The ML area's
 * loadCurrentEmbeddings grows a JS array and slices it, which would hold the
 * matrix two to three times over at a million rows.)
 */
export const loadSelectionMatrix: SelectionMatrixLoader = (db, preference = 'auto') => {
  const steps = selectionMatrixInSlices(db, Infinity, preference);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
};

/**
 * loadSelectionMatrix a slice of `sliceRows` rows at a time (by sample id,
 * one query each), yielding between slices so a caller on the server's
 * thread can let other requests run while a large matrix loads; Infinity
 * reads it in one query.
 */
export function* selectionMatrixInSlices(db: Db, sliceRows: number, preference: KernelPreference = 'auto'): Generator<void, SelectionMatrix | null, void> {
  const modelId = currentModelId(db);
  if (modelId === null) return null;
  const count = countEmbeddings(db, modelId);
  if (count === 0) return null;
  const vectorBytes = embeddingBytes(db, modelId);
  if (vectorBytes % 4 !== 0 || vectorBytes === 0) throw new FarpointError(`embeddings of model ${modelId} are ${vectorBytes} bytes, not float32 vectors`, 500);
  const dim = vectorBytes / 4;
  const kernel = createKernel(count, dim, preference);
  const bytes = new Uint8Array(kernel.vectors.buffer, kernel.vectors.byteOffset, count * dim * 4);
  const ids = new Int32Array(count);
  const whole = !Number.isFinite(sliceRows);
  const slice = embeddingRowsAfter(db);
  const x = kernel.vectors;
  let row = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const first = row;
    let got = 0;
    for (const [id, blob] of slice(modelId, after, whole ? -1 : sliceRows)) {
      if (row === count) break; // written meanwhile by another process; the next sync reloads
      if (blob.byteLength !== dim * 4) {
        throw new FarpointError(`embedding of sample ${id} (model ${modelId}) has ${blob.byteLength / 4} dimensions, expected ${dim}`, 500);
      }
      bytes.set(blob, row * dim * 4);
      ids[row++] = id;
      after = id;
      got++;
    }
    // Checked a slice at a time, so that no step of a large matrix's load is one long pass over every value.
    for (let i = first * dim; i < row * dim; i++) {
      if (!Number.isFinite(x[i]!)) {
        throw new FarpointError(`embedding of sample ${ids[Math.floor(i / dim)]} (model ${modelId}) holds ${x[i]} at dimension ${i % dim}; re-run embedding`, 500);
      }
    }
    if (whole || got < sliceRows || row === count) break;
    yield;
  }
  if (row < count) throw new FarpointError(`embeddings of model ${modelId} changed while loading (${row} of ${count}); try again`, 409);
  return { modelId, dim, ids, kernel };
}

/** Row of a sample id in the matrix (binary search), −1 when it has no vector. */
export function rowOfSample(ids: Int32Array, sampleId: number): number {
  return indexInAscending(ids, sampleId);
}
