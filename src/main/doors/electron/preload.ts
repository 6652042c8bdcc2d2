import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { FarpointEvent } from '../../../shared/contract';
import type { FarpointBridge } from '../../../shared/client-bridge';
import { MEDIA_BASE } from './app-origin';
import { createBridge } from './bridge';
import { CALL_CHANNEL, EVENT_CHANNEL, type CallReply } from './ipc-channels';

/**
 * Runs sandboxed, before the page, in its own JavaScript world. Exposes the
 * contract as `window.farpoint` and nothing else: the page never gets
 * `ipcRenderer`, an `IpcRendererEvent` (whose `sender` is ipcRenderer), or a
 * channel name of its choosing.
 */
const bridge = createBridge(
  {
    call: (name, arg) => ipcRenderer.invoke(CALL_CHANNEL, name, arg) as Promise<CallReply>,
    subscribe(listener) {
      const relay = (_event: IpcRendererEvent, payload: FarpointEvent) => listener(payload);
      ipcRenderer.on(EVENT_CHANNEL, relay);
      return () => {
        ipcRenderer.removeListener(EVENT_CHANNEL, relay);
      };
    },
  },
  MEDIA_BASE,
);

contextBridge.exposeInMainWorld('farpoint', bridge satisfies FarpointBridge);
