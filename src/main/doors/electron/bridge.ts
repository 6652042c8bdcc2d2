import { requestNames, type ArgOf, type FarpointApi, type FarpointEvent, type RequestName, type ResultOf } from '../../../shared/contract';
import type { FarpointBridge } from '../../../shared/client-bridge';
import type { CallReply } from './ipc-channels';

/** How the preload reaches the main process: the two allow-listed channels, nothing else. */
export interface BridgeTransport {
  call(name: RequestName, arg: unknown): Promise<CallReply>;
  subscribe(listener: (event: FarpointEvent) => void): () => void;
}

/** An error the page can read: contextBridge copies only the message of an Error, so the status goes into it too. */
export class BridgeCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

function requestFunction<K extends RequestName>(transport: BridgeTransport, name: K): (arg: ArgOf<K>) => Promise<ResultOf<K>> {
  return async (arg: ArgOf<K>): Promise<ResultOf<K>> => {
    const reply = await transport.call(name, arg ?? {});
    if (!reply.ok) throw new BridgeCallError(reply.error, reply.status);
    return reply.result as ResultOf<K>;
  };
}

/**
 * `window.farpoint`: one function per request of the contract (derived from
 * `requestNames`, so a new request needs no change here), an event
 * subscription that returns its unsubscribe function, and the base URL of
 * the project's images. Plain functions and a string: nothing of Electron.
 */
export function createBridge(transport: BridgeTransport, mediaBase: string): FarpointBridge {
  const api = Object.fromEntries(requestNames.map((name) => [name, requestFunction(transport, name)])) as FarpointApi;
  const onEvent = (listener: (event: FarpointEvent) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    return transport.subscribe((event) => listener(event));
  };
  return Object.freeze({ ...api, onEvent, mediaBase }) satisfies FarpointBridge;
}
