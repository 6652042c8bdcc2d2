import type { FarpointBridge } from '../../shared/client-bridge';
import type { FarpointApi, FarpointEvent } from '../../shared/contract';

/** What the UI talks to: the contract plus events and image URLs. Electron's preload and the web client both provide it. */
export interface FarpointClient {
  api: FarpointApi;
  /** Subscribes to back-end events; returns the unsubscribe function. */
  onEvent(listener: (event: FarpointEvent) => void): () => void;
  thumbUrl(sampleId: number): string;
  imageUrl(sampleId: number, maxSize?: number): string;
}

export type { FarpointBridge };

declare global {
  interface Window {
    farpoint?: FarpointBridge;
  }
}
