import { MAP_EXCLUDED, type LatentMapPage, type MapBounds } from '../../shared/domain';
import { IdRows } from './id-rows';

/** The latent map as typed arrays: one row per embedded sample loaded so far, excluded ones included. */
export interface MapData {
  modelId: number | null;
  ids: Int32Array;
  xs: Float32Array;
  ys: Float32Array;
  explainedVariance: [number, number];
  /** Row of a sample id, undefined for a sample not (yet) loaded. */
  rowOf: { get(id: number): number | undefined };
  /** Ids of the loaded rows that were excluded when they were loaded. */
  excluded: Set<number>;
  /** The map job computing a fresh projection (the rows are the previous one, or none), null when the map is ready. */
  job: string | null;
  /** Rows of the whole map; more than ids.length while it loads. */
  total: number;
  /** Extent of the whole map, known from its first part. */
  bounds: MapBounds;
  /** The projection the rows come from. */
  version: string;
}

/**
 * Puts the parts of a paged map load together: rows in the order they
 * arrive, in arrays sized for the whole map once, so each view of it
 * (snapshot) costs nothing to make and a part costs only its own rows.
 */
export class MapAssembly {
  readonly total: number;
  private readonly first: LatentMapPage;
  private readonly ids: Int32Array;
  private readonly xs: Float32Array;
  private readonly ys: Float32Array;
  private readonly rows: IdRows;
  private readonly excluded = new Set<number>();
  private readonly seen = new Set<number>();
  private count = 0;

  constructor(first: LatentMapPage) {
    this.first = first;
    this.total = first.total;
    this.ids = new Int32Array(first.total);
    this.xs = new Float32Array(first.total);
    this.ys = new Float32Array(first.total);
    this.rows = new IdRows(first.total);
    this.add(first);
  }

  get loaded(): number {
    return this.count;
  }

  /** Whether every part has arrived. */
  get complete(): boolean {
    return this.seen.size === this.first.parts || this.count === this.total;
  }

  /**
   * Adds one part; false (and nothing added) when it belongs to another map
   * than the first part's: the map changed meanwhile and the load starts over.
   */
  add(page: LatentMapPage): boolean {
    if (page.version !== this.first.version || page.total !== this.total || page.parts !== this.first.parts) return false;
    if (this.seen.has(page.part)) return true;
    const n = page.ids.length;
    if (this.count + n > this.total) throw new Error(`map part ${page.part} of ${page.parts} holds more rows than the map's ${this.total}`);
    this.seen.add(page.part);
    this.ids.set(page.ids, this.count);
    this.xs.set(page.x, this.count);
    this.ys.set(page.y, this.count);
    for (let j = 0; j < n; j++) {
      const id = page.ids[j]!;
      this.rows.set(id, this.count + j);
      if (page.status[j] === MAP_EXCLUDED) this.excluded.add(id);
    }
    this.count += n;
    return true;
  }

  /** The rows loaded so far, as views on the assembly's arrays. */
  snapshot(): MapData {
    const n = this.count;
    const rows = this.rows;
    const { first } = this;
    return {
      modelId: first.modelId,
      ids: this.ids.subarray(0, n),
      xs: this.xs.subarray(0, n),
      ys: this.ys.subarray(0, n),
      explainedVariance: first.explainedVariance,
      rowOf: { get: (id: number) => rows.get(id) },
      excluded: this.excluded,
      job: first.state === 'computing' ? first.job : null,
      total: this.total,
      bounds: first.bounds,
      version: first.version,
    };
  }
}
