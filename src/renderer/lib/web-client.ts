import { BINARY_MIME, decodeBinary, requestNames, type FarpointApi, type FarpointEvent } from '../../shared/contract';
import type { FarpointBridge, FarpointClient } from './client-types';
import { takeLaunchToken } from './launch-token';

export class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const NO_TOKEN = 'no access token: open the URL that `farpoint serve` printed (the one with ?token=)';

/**
 * The contract over HTTP. The token goes as a header on every call (never a
 * cookie: see request-guard.ts); images and the event stream, which the
 * browser fetches without our headers, carry the run's read-only view key.
 */
export function createWebClient(token: string | null, base = ''): FarpointClient {
  let viewKey = '';
  const post = async (route: string, arg: unknown): Promise<Response> => {
    if (token === null) throw new RequestError(NO_TOKEN, 401);
    return fetch(`${base}${route}`, {
      method: 'POST',
      // Results made of large typed arrays (the latent map) come back as bytes; the rest as JSON.
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: `${BINARY_MIME}, application/json` },
      body: JSON.stringify(arg ?? {}),
      credentials: 'omit',
      cache: 'no-store',
    });
  };
  const resultOf = async (res: Response): Promise<unknown> => {
    if (res.ok && res.headers.get('Content-Type') === BINARY_MIME) return (decodeBinary(await res.arrayBuffer()) as { result: unknown }).result;
    const body = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as { result?: unknown; error?: string };
    if (!res.ok) throw new RequestError(body.error ?? `HTTP ${res.status}`, res.status);
    return body.result;
  };
  // Every call waits for the view key first: the image URLs a result leads to are then complete.
  const ready = post('/api/view-key', {})
    .then(resultOf)
    .then((result) => void (viewKey = (result as { viewKey: string }).viewKey))
    .catch(() => undefined);
  const api = Object.fromEntries(
    requestNames.map((name) => [
      name,
      async (arg: unknown) => {
        await ready;
        return resultOf(await post(`/api/call/${name}`, arg));
      },
    ]),
  ) as FarpointApi;
  const key = () => encodeURIComponent(viewKey);
  return {
    api,
    onEvent(listener) {
      let source: EventSource | null = null;
      let closed = false;
      void ready.then(() => {
        if (closed) return;
        source = new EventSource(`${base}/api/events?key=${key()}`);
        source.onmessage = (message) => listener(JSON.parse(message.data as string) as FarpointEvent);
      });
      return () => {
        closed = true;
        source?.close();
      };
    },
    thumbUrl: (id) => `${base}/media/thumb/${id}?key=${key()}`,
    imageUrl: (id, max = 1024) => `${base}/media/image/${id}?max=${max}&key=${key()}`,
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
  return window.farpoint ? bridgeClient(window.farpoint) : createWebClient(takeLaunchToken());
}
