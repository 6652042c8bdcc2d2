import { BINARY_MIME, decodeBinary, requestNames, type FarpointApi, type FarpointEvent } from '../../shared/contract';
import type { FarpointBridge, FarpointClient } from './client-types';

export class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The contract over HTTP: the server set the token cookie when the page was opened with ?token=. */
export function createWebClient(base = ''): FarpointClient {
  const api = Object.fromEntries(
    requestNames.map((name) => [
      name,
      async (arg: unknown) => {
        const res = await fetch(`${base}/api/call/${name}`, {
          method: 'POST',
          // Results made of large typed arrays (the latent map) come back as bytes; the rest as JSON.
          headers: { 'Content-Type': 'application/json', Accept: `${BINARY_MIME}, application/json` },
          body: JSON.stringify(arg ?? {}),
          credentials: 'same-origin',
        });
        if (res.ok && res.headers.get('Content-Type') === BINARY_MIME) return (decodeBinary(await res.arrayBuffer()) as { result: unknown }).result;
        const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as { result?: unknown; error?: string };
        if (!res.ok) throw new RequestError(body.error ?? `HTTP ${res.status}`, res.status);
        return body.result;
      },
    ]),
  ) as FarpointApi;
  return {
    api,
    onEvent(listener) {
      const source = new EventSource(`${base}/api/events`);
      source.onmessage = (message) => listener(JSON.parse(message.data as string) as FarpointEvent);
      return () => source.close();
    },
    thumbUrl: (id) => `${base}/media/thumb/${id}`,
    imageUrl: (id, max = 1024) => `${base}/media/image/${id}?max=${max}`,
  };
}

function bridgeClient(bridge: FarpointBridge): FarpointClient {
  const { onEvent, mediaBase, ...api } = bridge;
  return {
    api: api as FarpointApi,
    onEvent,
    thumbUrl: (id) => `${mediaBase}/thumb/${id}`,
    imageUrl: (id, max = 1024) => `${mediaBase}/image/${id}?max=${max}`,
  };
}

/** Electron's preload bridge when present, else the web server. */
export function connect(): FarpointClient {
  return window.farpoint ? bridgeClient(window.farpoint) : createWebClient();
}
