import { buildMapIndex, indexFromArrays, type MapIndex, type MapIndexArrays } from './map-index';
import type { Bounds } from './point-grid';
import type { PointLayer } from './scatter-renderer';

/** What the page sends the index worker: copies of the layer's arrays (the page keeps drawing with its own). */
export interface MapIndexRequest {
  id: number;
  xs: Float32Array;
  ys: Float32Array;
  category: Uint8Array;
  styles: PointLayer['styles'];
  bounds: Bounds;
}

/** Layers smaller than this are indexed on the page's thread: sending them would cost more than the build. */
const WORKER_FROM = 50_000;

/**
 * Builds the index of the newest layer a scatter plot shows, in a worker
 * when it is big: one build at a time, and a layer superseded before its
 * build starts is skipped, so a burst of changes (parts of a map arriving,
 * a lasso) costs one build after the one under way; each finished build is
 * shown, newest last. Without a worker (it
 * failed to start) it builds on the page's thread.
 */
export class MapIndexBuilder {
  private worker: Worker | null = null;
  private workerFailed = false;
  private busy: { id: number; layer: PointLayer; bounds: Bounds } | null = null;
  private wanted: { layer: PointLayer; bounds: Bounds } | null = null;
  private ids = 0;

  constructor(private readonly onBuilt: (layer: PointLayer, index: MapIndex, builtBy: 'worker' | 'page') => void) {}

  request(layer: PointLayer, bounds: Bounds): void {
    if (layer.xs.length < WORKER_FROM || !this.startWorker()) {
      this.wanted = null;
      this.onBuilt(layer, buildMapIndex(layer, bounds), 'page');
      return;
    }
    this.wanted = { layer, bounds };
    if (!this.busy) this.sendWanted();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.wanted = null;
    this.busy = null;
  }

  private startWorker(): boolean {
    if (this.worker) return true;
    if (this.workerFailed || typeof Worker === 'undefined') return false;
    try {
      this.worker = new Worker(new URL('./map-index-worker.ts', import.meta.url), { type: 'module' });
    } catch {
      this.workerFailed = true;
      return false;
    }
    this.worker.onmessage = (event: MessageEvent<{ id: number; arrays: MapIndexArrays }>) => {
      const done = this.busy;
      this.busy = null;
      // Shown even when a newer layer waits: it is newer than what is on screen.
      if (done && done.id === event.data.id) this.onBuilt(done.layer, indexFromArrays(done.layer, done.bounds, event.data.arrays), 'worker');
      if (this.wanted) this.sendWanted();
    };
    // A worker that cannot load (a policy, a missing file) leaves the building to the page's thread.
    this.worker.onerror = () => {
      this.workerFailed = true;
      this.worker?.terminate();
      this.worker = null;
      const lost = this.wanted ?? this.busy;
      this.busy = null;
      this.wanted = null;
      if (lost) this.onBuilt(lost.layer, buildMapIndex(lost.layer, lost.bounds), 'page');
    };
    return true;
  }

  private sendWanted(): void {
    const { layer, bounds } = this.wanted!;
    this.wanted = null;
    const id = ++this.ids;
    this.busy = { id, layer, bounds };
    const message: MapIndexRequest = { id, xs: layer.xs.slice(), ys: layer.ys.slice(), category: layer.category.slice(), styles: layer.styles, bounds };
    this.worker!.postMessage(message, [message.xs.buffer, message.ys.buffer, message.category.buffer]);
  }
}
