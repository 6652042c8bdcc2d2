import { squaredDistance, type Points } from '../evaluation/points';

/**
 * The greedy max-coverage step of ProbCover (Yehuda et al. 2022) over the
 * rows of `points`: every row x owns the open ball B(x, δ) (x itself and
 * every row closer than δ); a row is covered once it lies in the ball of a
 * known (labeled) or chosen row; each pick is the row whose ball holds the
 * most uncovered rows, ties to the lowest row. The balls are stored once as
 * a symmetric neighbour list (|x − y| < δ is symmetric), so covering a row
 * lowers the gain of exactly its neighbours: a pick costs one scan for the
 * maximum plus the neighbours of what it covers. Exact: no randomness, the
 * same order for the same points, radius and known rows.
 */
export class BallCover {
  /** Neighbour lists in CSR form: the neighbours of row i are list[start[i] .. start[i + 1]). */
  private readonly start: Int32Array;
  private readonly list: Int32Array;
  private readonly covered: Uint8Array;
  private readonly taken: Uint8Array;
  /** Uncovered rows in each row's ball. */
  private readonly gain: Int32Array;

  constructor(
    readonly points: Points,
    readonly radius: number,
    balls?: { start: Int32Array; list: Int32Array },
  ) {
    const n = points.count;
    ({ start: this.start, list: this.list } = balls ?? neighbourLists(points, radius));
    this.covered = new Uint8Array(n);
    this.taken = new Uint8Array(n);
    this.gain = new Int32Array(n);
    for (let i = 0; i < n; i++) this.gain[i] = this.start[i + 1]! - this.start[i]! + 1;
  }

  /** The same balls with nothing covered or taken (no distance computed again). */
  fresh(): BallCover {
    return new BallCover(this.points, this.radius, { start: this.start, list: this.list });
  }

  /** Rows in the ball of `row` besides itself. */
  ballSize(row: number): number {
    return this.start[row + 1]! - this.start[row]!;
  }

  /** Marks `row` known (labeled or chosen elsewhere): its ball is covered and it is never picked. */
  take(row: number): void {
    if (this.taken[row]) return;
    this.taken[row] = 1;
    this.cover(row);
    for (let p = this.start[row]!; p < this.start[row + 1]!; p++) this.cover(this.list[p]!);
  }

  /** The row whose ball holds the most uncovered rows, and how many (gain 0: everything is covered); null when every row is taken. */
  best(): { row: number; gain: number } | null {
    let row = -1;
    let gain = -1;
    const n = this.points.count;
    for (let i = 0; i < n; i++) {
      if (this.taken[i]) continue;
      if (this.gain[i]! > gain) {
        gain = this.gain[i]!;
        row = i;
      }
    }
    return row < 0 ? null : { row, gain };
  }

  /** Takes and returns the best row while its gain is at least `minGain`; null otherwise. */
  pick(minGain: number = 1): number | null {
    const best = this.best();
    if (!best || best.gain < Math.max(1, minGain)) return null;
    this.take(best.row);
    return best.row;
  }

  /** Share of the rows covered so far. */
  get coverage(): number {
    let c = 0;
    for (const f of this.covered) c += f;
    return this.points.count === 0 ? 1 : c / this.points.count;
  }

  private cover(row: number): void {
    if (this.covered[row]) return;
    this.covered[row] = 1;
    this.gain[row]!--;
    for (let p = this.start[row]!; p < this.start[row + 1]!; p++) this.gain[this.list[p]!]!--;
  }
}

/** Every pair closer than `radius`, as symmetric CSR neighbour lists. Exact, O(n²·d). */
function neighbourLists(points: Points, radius: number): { start: Int32Array; list: Int32Array } {
  const n = points.count;
  const degree = new Int32Array(n);
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Compared as distances, not squares: the radius is itself a distance between two rows, and
      // squaring it back may round that very pair across the boundary.
      if (Math.sqrt(squaredDistance(points, i, points, j)) < radius) {
        pairs.push(i, j);
        degree[i]!++;
        degree[j]!++;
      }
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + degree[i]!;
  const list = new Int32Array(start[n]!);
  const fill = start.slice(0, n);
  for (let p = 0; p < pairs.length; p += 2) {
    const i = pairs[p]!;
    const j = pairs[p + 1]!;
    list[fill[i]!++] = j;
    list[fill[j]!++] = i;
  }
  return { start, list };
}
