/** Disjoint sets over 0..n-1 with path halving and union by size: near-linear for a million edges. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(count: number) {
    this.parent = new Int32Array(count);
    this.size = new Int32Array(count).fill(1);
    for (let i = 0; i < count; i++) this.parent[i] = i;
  }

  find(node: number): number {
    let x = node;
    while (this.parent[x] !== x) {
      const grand = this.parent[this.parent[x]!]!;
      this.parent[x] = grand;
      x = grand;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
  }

  sizeOf(node: number): number {
    return this.size[this.find(node)]!;
  }
}
