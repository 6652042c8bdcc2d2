import type { FarpointApi, FarpointEvent } from './contract';

/**
 * The shape the Electron preload exposes to the renderer as `window.farpoint`:
 * the contract's calls, its events and where images are served. The preload
 * builds it and the renderer's client reads it, so it lives here, between them.
 */
export type FarpointBridge = FarpointApi & {
  onEvent(listener: (event: FarpointEvent) => void): () => void;
  mediaBase: string;
};
