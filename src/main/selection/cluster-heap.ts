/**
 * Max-heap of clusters keyed by their farthest member: larger squared
 * distance first, lower row index on ties (the FPS tie rule). Entries are
 * never updated in place; a cluster that changes pushes a new entry with a
 * new version and stale ones are dropped when they reach the top.
 */
export class ClusterHeap {
  private sq: number[] = [];
  private row: number[] = [];
  private slot: number[] = [];
  private version: number[] = [];

  get size(): number {
    return this.sq.length;
  }

  clone(): ClusterHeap {
    const copy = new ClusterHeap();
    copy.sq = this.sq.slice();
    copy.row = this.row.slice();
    copy.slot = this.slot.slice();
    copy.version = this.version.slice();
    return copy;
  }

  push(sq: number, row: number, slot: number, version: number): void {
    this.sq.push(sq);
    this.row.push(row);
    this.slot.push(slot);
    this.version.push(version);
    this.up(this.sq.length - 1);
  }

  /** The top entry whose version is current (stale ones are discarded), or null. */
  top(isCurrent: (slot: number, version: number) => boolean): { sq: number; row: number; slot: number } | null {
    while (this.sq.length > 0) {
      if (isCurrent(this.slot[0]!, this.version[0]!)) return { sq: this.sq[0]!, row: this.row[0]!, slot: this.slot[0]! };
      this.pop();
    }
    return null;
  }

  private pop(): void {
    const last = this.sq.length - 1;
    this.swap(0, last);
    this.sq.pop();
    this.row.pop();
    this.slot.pop();
    this.version.pop();
    this.down(0);
  }

  private before(a: number, b: number): boolean {
    const sa = this.sq[a]!;
    const sb = this.sq[b]!;
    return sa > sb || (sa === sb && this.row[a]! < this.row[b]!);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.sq.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.before(l, best)) best = l;
      if (r < n && this.before(r, best)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(a: number, b: number): void {
    for (const arr of [this.sq, this.row, this.slot, this.version]) {
      const t = arr[a]!;
      arr[a] = arr[b]!;
      arr[b] = t;
    }
  }
}
