import { op, valType, type FunctionDef } from './wasm-encoder';

/**
 * Column sums of the matrix in float64, for the mean the first FPS pick is
 * measured from (farthest-from-mean.ts).
 *
 * Each column has its own float64 accumulator and takes the rows one by one
 * in row order: the same additions, in the same order, as a plain loop
 * `sum[k] += x[row][k]` in JavaScript, so the sums are those bit for bit
 * (float32 to float64 is exact, f64x2.add rounds like a scalar add). Lanes
 * only run several columns side by side.
 *
 * - column_sums_G (G = 1 to 4) (x, rowBytes, from, to, acc): for the 4·G
 *   columns starting at byte address x of row 0, adds rows from..to to the
 *   4·G float64 values at acc (read first, written back at the end). At most
 *   sixteen columns (one 64-byte line of a row) per pass keeps every
 *   accumulator in a register; the caller runs one pass per block of columns.
 * - column_sum_1 (x, rowBytes, from, to, acc): the same for one column (the
 *   dim % 4 last ones).
 */

const { i32, f64, v128 } = valType;

/** Lanes 2 and 3 of an f32x4 moved to lanes 0 and 1 (for the second promote). */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

function columnSums(groups: number): FunctionDef {
  const [x, rowBytes, from, to, acc] = [0, 1, 2, 3, 4];
  const [p, v] = [5, 6];
  const a = (j: number) => 7 + j;
  const body: number[][] = [];
  for (let j = 0; j < 2 * groups; j++) body.push(op.localGet(acc), op.v128Load(16 * j), op.localSet(a(j)));
  body.push(op.localGet(x), op.localGet(from), op.localGet(rowBytes), op.i32Mul(), op.i32Add(), op.localSet(p));
  body.push(op.block(), op.loop(), op.localGet(from), op.localGet(to), op.i32GeS(), op.brIf(1));
  for (let g = 0; g < groups; g++) {
    body.push(
      op.localGet(p), op.v128Load(16 * g), op.localSet(v),
      op.localGet(a(2 * g)), op.localGet(v), op.f64x2PromoteLowF32x4(), op.f64x2Add(), op.localSet(a(2 * g)),
      op.localGet(a(2 * g + 1)), op.localGet(v), op.localGet(v), op.i8x16Shuffle(HIGH_HALF), op.f64x2PromoteLowF32x4(), op.f64x2Add(), op.localSet(a(2 * g + 1)),
    );
  }
  body.push(
    op.localGet(p), op.localGet(rowBytes), op.i32Add(), op.localSet(p),
    op.localGet(from), op.i32Const(1), op.i32Add(), op.localSet(from),
    op.br(0), op.end(), op.end(),
  );
  for (let j = 0; j < 2 * groups; j++) body.push(op.localGet(acc), op.localGet(a(j)), op.v128Store(16 * j));
  return {
    name: `column_sums_${groups}`,
    params: [i32, i32, i32, i32, i32],
    results: [],
    locals: [i32, v128, ...Array.from({ length: 2 * groups }, () => v128)],
    body,
  };
}

const columnSum: FunctionDef = (() => {
  const [x, rowBytes, from, to, acc] = [0, 1, 2, 3, 4];
  const [p, s] = [5, 6];
  return {
    name: 'column_sum_1',
    params: [i32, i32, i32, i32, i32],
    results: [],
    locals: [i32, f64],
    body: [
      op.localGet(acc), op.f64Load(), op.localSet(s),
      op.localGet(x), op.localGet(from), op.localGet(rowBytes), op.i32Mul(), op.i32Add(), op.localSet(p),
      op.block(), op.loop(),
      op.localGet(from), op.localGet(to), op.i32GeS(), op.brIf(1),
      op.localGet(s), op.localGet(p), op.f32Load(), op.f64PromoteF32(), op.f64Add(), op.localSet(s),
      op.localGet(p), op.localGet(rowBytes), op.i32Add(), op.localSet(p),
      op.localGet(from), op.i32Const(1), op.i32Add(), op.localSet(from),
      op.br(0), op.end(), op.end(),
      op.localGet(acc), op.localGet(s), op.f64Store(),
    ],
  };
})();

/** The five functions, to append to the distance module (they call nothing, so their indices do not matter). */
export const columnSumFunctions: FunctionDef[] = [columnSums(1), columnSums(2), columnSums(3), columnSums(4), columnSum];

export interface ColumnSumExports {
  column_sums_1(x: number, rowBytes: number, from: number, to: number, acc: number): void;
  column_sums_2(x: number, rowBytes: number, from: number, to: number, acc: number): void;
  column_sums_3(x: number, rowBytes: number, from: number, to: number, acc: number): void;
  column_sums_4(x: number, rowBytes: number, from: number, to: number, acc: number): void;
  column_sum_1(x: number, rowBytes: number, from: number, to: number, acc: number): void;
}
