import type { FarpointApi } from '../../shared/contract';
import { MAP_EXCLUDED, type QueueStrategy } from '../../shared/domain';

/** The latent map as typed arrays: one row per embedded sample, excluded ones included. */
export interface MapData {
  modelId: number | null;
  ids: Int32Array;
  xs: Float32Array;
  ys: Float32Array;
  explainedVariance: [number, number];
  /** Row of a sample id. */
  rowOf: Map<number, number>;
  /** Ids of the rows that were excluded when the map was loaded. */
  excluded: Set<number>;
  /** The map job computing a fresh projection (the rows are the previous one, or none), null when the map is ready. */
  job: string | null;
}

/** The map arrives as typed arrays (bytes over HTTP, structured clone over IPC): used as they are, not copied. */
export async function loadMapData(api: FarpointApi): Promise<MapData> {
  const map = await api.getLatentMap({});
  const n = map.ids.length;
  const rowOf = new Map<number, number>();
  const excluded = new Set<number>();
  for (let i = 0; i < n; i++) {
    rowOf.set(map.ids[i]!, i);
    if (map.status[i] === MAP_EXCLUDED) excluded.add(map.ids[i]!);
  }
  return { modelId: map.modelId, ids: map.ids, xs: map.x, ys: map.y, explainedVariance: map.explainedVariance, rowOf, excluded, job: map.state === 'computing' ? map.job : null };
}

/**
 * Ids of every excluded or every labeled sample. Both are small next to the
 * pool (labels cost an expert's time), so this is a few pages at most, much
 * less than reloading the whole map after each label.
 */
export async function loadIdsWithStatus(api: FarpointApi, status: 'excluded' | 'labeled'): Promise<Set<number>> {
  const ids = new Set<number>();
  for (let after: number | undefined; ; ) {
    const page = await api.listSamples({ status, limit: 5000, ...(after === undefined ? {} : { after }) });
    for (const s of page.samples) ids.add(s.id);
    if (page.next === null) return ids;
    after = page.next;
  }
}

/**
 * Queue rank (1-based) of every map row in one strategy's order, 0 where the
 * sample is not in the queue (labeled, excluded). Fetched in pages of 5,000.
 */
export async function loadQueueRanks(api: FarpointApi, strategy: QueueStrategy, data: MapData): Promise<{ ranks: Int32Array; total: number }> {
  const ranks = new Int32Array(data.ids.length);
  let total = 0;
  for (let offset = 0; ; offset += 5000) {
    const page = await api.getQueue({ strategy, offset, limit: 5000 });
    total = page.total;
    for (const e of page.entries) {
      const row = data.rowOf.get(e.sampleId);
      if (row !== undefined && !e.skipped) ranks[row] = e.rank;
    }
    if (offset + 5000 >= page.total) break;
  }
  return { ranks, total };
}

/** The first `count` entries of the queue as sample ids. */
export async function loadQueueHead(api: FarpointApi, count: number): Promise<number[]> {
  const page = await api.getQueue({ offset: 0, limit: count });
  return page.entries.map((e) => e.sampleId);
}
