import type { FarpointApi } from '../../shared/contract';
import type { QueueStrategy } from '../../shared/domain';
import { MapAssembly, type MapData } from './map-assembly';

export type { MapData };

/** Parts a map is loaded in: the first (an even sample of the map) is drawn while the others load. */
export const MAP_PARTS = 16;

/**
 * Loads the map part by part (getLatentMapPage). `onProgress` hears of every
 * part; `onData` gets the rows so far after the first part, then whenever
 * they have doubled, and at the end: each new picture rebuilds the view's
 * grid over every loaded row, so doubling keeps that work to twice a single
 * build. Starts over (up to three times) when the map changes meanwhile.
 */
export async function loadMapDataPaged(
  api: FarpointApi,
  onData: (data: MapData) => void,
  onProgress: (loaded: number, total: number) => void = () => undefined,
  parts = MAP_PARTS,
): Promise<MapData> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const assembly = new MapAssembly(await api.getLatentMapPage({ part: 0, parts }));
    let published = assembly.loaded;
    let shown = assembly.snapshot();
    onProgress(assembly.loaded, assembly.total);
    onData(shown);
    let stale = false;
    for (let part = 1; part < parts && !assembly.complete; part++) {
      if (!assembly.add(await api.getLatentMapPage({ part, parts }))) {
        stale = true;
        break;
      }
      onProgress(assembly.loaded, assembly.total);
      if (assembly.complete || assembly.loaded >= 2 * published) {
        published = assembly.loaded;
        shown = assembly.snapshot();
        onData(shown);
      }
    }
    // The last picture handed out is the whole map: the same object, so nothing is rebuilt for it.
    if (!stale) return shown;
  }
  throw new Error('the latent map changed three times while it was loading: try again once the map job has finished');
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
