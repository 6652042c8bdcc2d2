/**
 * The only two IPC channels between the window and the main process, shared
 * by the preload and the main side. The preload cannot send on any other
 * channel: it never hands `ipcRenderer` to the page.
 */
export const CALL_CHANNEL = 'farpoint:call';
export const EVENT_CHANNEL = 'farpoint:event';

/**
 * The answer to a call. Errors travel as data because Electron reduces an
 * error thrown in `ipcMain.handle` to "Error invoking remote method …", which
 * would lose the user-facing message and its status.
 */
export type CallReply = { ok: true; result: unknown } | { ok: false; error: string; status: number };
