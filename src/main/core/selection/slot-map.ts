/**
 * A kernel's slot ↔ row map (see distance-kernel.ts): identity until the
 * pruning tree arranges it once in its leaf order. The arrays are the
 * kernel's own (in wasm memory for the SIMD kernel), so both kernels share
 * this bookkeeping and scan through the same arrays.
 */
export class SlotMap {
  private done = false;

  constructor(
    readonly rowAt: Int32Array,
    readonly slotOf: Int32Array,
  ) {
    if (rowAt.length !== slotOf.length) throw new RangeError(`slot map: ${rowAt.length} slots for ${slotOf.length} rows`);
    for (let i = 0; i < rowAt.length; i++) rowAt[i] = slotOf[i] = i;
  }

  get arranged(): boolean {
    return this.done;
  }

  /** Puts row order[s] at slot s; once per kernel (the tree is built once per matrix). */
  arrange(order: Int32Array): void {
    if (this.done) throw new Error('distance kernel: already arranged');
    const count = this.rowAt.length;
    if (order.length !== count) throw new RangeError(`arrange: ${order.length} slots for ${count} rows`);
    this.rowAt.set(order);
    for (let s = 0; s < count; s++) this.slotOf[this.rowAt[s]!] = s;
    this.done = true;
  }
}
