import { squaredDistance, subsetPoints, type Points } from '../evaluation/points';

/**
 * The greedy max-coverage step of ProbCover (Yehuda et al. 2022) over the
 * rows of `points`: every centre x owns the open ball B(x, δ) (x itself and
 * every centre closer than δ); a centre is covered once it lies in the ball
 * of a known (labeled) or chosen row; each pick is the centre whose ball holds
 * the most uncovered centres, ties to the lowest row. The centres are every
 * row, or a subset (`centres`, ascending rows: a large pool's sample, see
 * coverBalls); a known row that is not a centre covers the centres within δ
 * of it. The balls are stored once as a symmetric neighbour list
 * (|x − y| < δ is symmetric), so covering a centre lowers the gain of
 * exactly its neighbours: a pick costs one scan for the maximum plus the
 * neighbours of what it covers. Exact: no randomness, the same order for the
 * same points, radius, centres and known rows.
 */
export class BallCover {
  /** Neighbour lists in CSR form over centre indices: the neighbours of centre c are list[start[c] .. start[c + 1]). */
  private readonly start: Int32Array;
  private readonly list: Int32Array;
  private readonly covered: Uint8Array;
  private readonly taken: Uint8Array;
  /** Uncovered centres in each centre's ball. */
  private readonly gain: Int32Array;
  /** Row of each centre (null: centre c is row c). */
  private readonly centreRows: Int32Array | null;
  /** Centre index of each row, −1 for a row that is not a centre (null: every row is a centre). */
  private readonly centreOf: Int32Array | null;

  constructor(
    readonly points: Points,
    readonly radius: number,
    balls?: { start: Int32Array; list: Int32Array },
    centres: Int32Array | null = null,
  ) {
    this.centreRows = centres;
    if (centres) {
      this.centreOf = new Int32Array(points.count).fill(-1);
      centres.forEach((row, c) => (this.centreOf![row] = c));
    } else {
      this.centreOf = null;
    }
    const m = this.centres;
    ({ start: this.start, list: this.list } = balls ?? neighbourLists(centres ? subsetPoints(points, centres) : points, radius));
    this.covered = new Uint8Array(m);
    this.taken = new Uint8Array(m);
    this.gain = new Int32Array(m);
    for (let c = 0; c < m; c++) this.gain[c] = this.start[c + 1]! - this.start[c]! + 1;
  }

  /** How many centres own a ball. */
  get centres(): number {
    return this.centreRows ? this.centreRows.length : this.points.count;
  }

  /** The same balls with nothing covered or taken (no distance computed again). */
  fresh(): BallCover {
    return new BallCover(this.points, this.radius, { start: this.start, list: this.list }, this.centreRows);
  }

  /** Centres in the ball of centre row `row` besides itself (−1 for a row that is not a centre). */
  ballSize(row: number): number {
    const c = this.centreIndex(row);
    return c < 0 ? -1 : this.start[c + 1]! - this.start[c]!;
  }

  /** Marks `row` known (labeled or chosen elsewhere): the centres in its ball are covered and it is never picked. */
  take(row: number): void {
    const c = this.centreIndex(row);
    if (c < 0) {
      this.coverAround(row);
      return;
    }
    if (this.taken[c]) return;
    this.taken[c] = 1;
    this.cover(c);
    for (let p = this.start[c]!; p < this.start[c + 1]!; p++) this.cover(this.list[p]!);
  }

  /** The centre whose ball holds the most uncovered centres, as a row, and how many (gain 0: everything is covered); null when every centre is taken. */
  best(): { row: number; gain: number } | null {
    let best = -1;
    let gain = -1;
    const m = this.centres;
    for (let c = 0; c < m; c++) {
      if (this.taken[c]) continue;
      if (this.gain[c]! > gain) {
        gain = this.gain[c]!;
        best = c;
      }
    }
    return best < 0 ? null : { row: this.rowOf(best), gain };
  }

  /** Takes and returns the best row while its gain is at least `minGain`; null otherwise. */
  pick(minGain: number = 1): number | null {
    const best = this.best();
    if (!best || best.gain < Math.max(1, minGain)) return null;
    this.take(best.row);
    return best.row;
  }

  /** Share of the centres covered so far. */
  get coverage(): number {
    let c = 0;
    for (const f of this.covered) c += f;
    return this.centres === 0 ? 1 : c / this.centres;
  }

  private centreIndex(row: number): number {
    return this.centreOf ? this.centreOf[row]! : row;
  }

  private rowOf(centre: number): number {
    return this.centreRows ? this.centreRows[centre]! : centre;
  }

  /** A known row that owns no ball: the centres within δ of it are covered (one distance per centre). */
  private coverAround(row: number): void {
    const rows = this.centreRows!;
    for (let c = 0; c < rows.length; c++) {
      if (Math.sqrt(squaredDistance(this.points, row, this.points, rows[c]!)) < this.radius) this.cover(c);
    }
  }

  private cover(centre: number): void {
    if (this.covered[centre]) return;
    this.covered[centre] = 1;
    this.gain[centre]!--;
    for (let p = this.start[centre]!; p < this.start[centre + 1]!; p++) this.gain[this.list[p]!]!--;
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
