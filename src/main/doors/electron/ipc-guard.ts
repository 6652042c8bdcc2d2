import { FarpointError, messageOf } from '../../core/errors';
import { dispatch } from '../../app/handlers/handlers';
import type { Handlers } from '../../app/handlers/handler-types';
import { isAppUrl } from './app-origin';
import type { CallReply } from './ipc-channels';

/** The frame a call came from, as Electron reports it (`event.senderFrame`; null once the frame is gone). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * Only the app's own top-level page may call the back end: not a frame that
 * navigated elsewhere, not an embedded frame, not a frame that is gone.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

/**
 * Answers one call from the window: checks the sender, then hands name and
 * argument to `dispatch`, which refuses unknown requests and arguments the
 * contract's validator rejects before any handler runs.
 */
export async function answerCall(handlers: Handlers, senderFrame: SenderFrame | null | undefined, name: unknown, arg: unknown): Promise<CallReply> {
  if (!isTrustedSender(senderFrame)) return { ok: false, error: 'forbidden: calls are accepted only from the Farpoint window', status: 403 };
  if (typeof name !== 'string') return { ok: false, error: 'a request name must be a string', status: 400 };
  try {
    const result = await dispatch(handlers, name, arg);
    return { ok: true, result: result ?? null };
  } catch (err) {
    if (err instanceof FarpointError) return { ok: false, error: err.message, status: err.status };
    return { ok: false, error: `internal error: ${messageOf(err)}`, status: 500 };
  }
}
