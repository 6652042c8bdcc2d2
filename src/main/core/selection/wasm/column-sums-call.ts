import type { ColumnSumExports } from './column-sums';

/**
 * Rows per chunk of the column sums: each block of sixteen columns is one
 * pass over the chunk's rows, and a chunk this size stays in the core's
 * cache from the first block's pass to the last, so the matrix is read from
 * memory once.
 */
const CHUNK_BYTES = 64 * 1024;

/** Where the matrix and the float64 sums lie in the module's memory. */
export interface ColumnSumLayout {
  xPtr: number;
  rowBytes: number;
  dim: number;
  sumsPtr: number;
}

/** Adds rows from..to to the dim float64 sums at sumsPtr (column-sums.ts: row by row in row order, per column). */
export function addColumnSumsWasm(exports: ColumnSumExports, layout: ColumnSumLayout, from: number, to: number): void {
  const { xPtr, rowBytes, dim, sumsPtr } = layout;
  const chunk = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes));
  const wide = dim - (dim % 4);
  const blocks = [exports.column_sums_1, exports.column_sums_2, exports.column_sums_3, exports.column_sums_4];
  for (let start = from; start < to; start += chunk) {
    const end = Math.min(to, start + chunk);
    for (let k = 0; k < wide; k += 16) {
      const groups = Math.min(4, (wide - k) / 4);
      blocks[groups - 1]!(xPtr + k * 4, rowBytes, start, end, sumsPtr + k * 8);
    }
    for (let k = wide; k < dim; k++) exports.column_sum_1(xPtr + k * 4, rowBytes, start, end, sumsPtr + k * 8);
  }
}
