/**
 * Row of each sample id, in an open-addressing table sized once for the
 * whole map: a JavaScript Map of a million entries rehashes them all in one
 * go as it grows, a long pause on the page's thread while the map loads.
 */
export class IdRows {
  private readonly keys: Int32Array;
  private readonly rows: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size);
    this.rows = new Int32Array(size);
    this.mask = size - 1;
  }

  private slot(id: number): number {
    // Fibonacci hashing spreads consecutive ids over the table.
    return (Math.imul(id, 0x9e3779b1) >>> 0) & this.mask;
  }

  /** Ids are positive (sample ids): 0 marks an empty slot. */
  set(id: number, row: number): void {
    if (!(id > 0 && id <= 0x7fffffff)) throw new RangeError(`sample id ${id} is not a positive 32-bit integer`);
    for (let s = this.slot(id); ; s = (s + 1) & this.mask) {
      const key = this.keys[s]!;
      if (key === 0 || key === id) {
        this.keys[s] = id;
        this.rows[s] = row;
        return;
      }
    }
  }

  get(id: number): number | undefined {
    if (!(id > 0 && id <= 0x7fffffff)) return undefined;
    for (let s = this.slot(id); ; s = (s + 1) & this.mask) {
      const key = this.keys[s]!;
      if (key === id) return this.rows[s];
      if (key === 0) return undefined;
    }
  }
}
