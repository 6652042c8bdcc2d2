import { buildMapIndex, indexArrays, transferablesOf } from './map-index';
import type { MapIndexRequest } from './map-index-builder';

/**
 * Builds a map's grid and density pyramids off the page's thread: at a
 * million points one build is a long task, and the map rebuilds on every
 * change of the points' categories (labels, exclusions, a lasso).
 */
self.onmessage = (event: MessageEvent<MapIndexRequest>) => {
  const { id, xs, ys, category, styles, bounds } = event.data;
  const arrays = indexArrays(buildMapIndex({ xs, ys, category, styles }, bounds));
  self.postMessage({ id, arrays }, { transfer: transferablesOf(arrays) });
};
