import type { IpcMain, WebContents } from 'electron';
import type { EventBus } from '../../app/event-bus';
import type { Handlers } from '../../app/handlers/handler-types';
import { isAppUrl } from './app-origin';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels';
import { answerCall } from './ipc-guard';

/** Binds the contract to IPC: one `invoke` channel for every request, each call checked by `answerCall`. */
export function bindCalls(ipcMain: Pick<IpcMain, 'handle'>, handlers: Handlers): void {
  ipcMain.handle(CALL_CHANNEL, (event, name: unknown, arg: unknown) => answerCall(handlers, event.senderFrame, name, arg));
}

export type EventTarget = Pick<WebContents, 'isDestroyed' | 'getURL' | 'send'>;

/**
 * Pushes back-end events (job progress, project changes) to the window, but
 * only while it shows the app: a page it was navigated to would get nothing.
 * Returns the unsubscribe function.
 */
export function forwardEvents(events: EventBus, target: EventTarget): () => void {
  return events.subscribe((event) => {
    if (target.isDestroyed() || !isAppUrl(target.getURL())) return;
    target.send(EVENT_CHANNEL, event);
  });
}
