import type { Session } from 'electron';
import { APP_SCHEME } from './app-origin';

/**
 * Schemes the window may load at all. The app's own protocol, in-memory
 * `data:`/`blob:` URLs the UI makes, and the developer tools in development
 * builds; never http(s), ws(s) or file.
 */
const allowedSchemes = new Set([`${APP_SCHEME}:`, 'data:', 'blob:', 'devtools:']);

export function isAllowedRequestUrl(url: string): boolean {
  try {
    return allowedSchemes.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

export type NetworkSession = Pick<Session, 'webRequest' | 'setSpellCheckerEnabled'>;

/**
 * A second wall behind the CSP: every request the session would send to any
 * other scheme is cancelled, so no part of Chromium (a mistaken link, a font
 * in a stylesheet, a future dependency) can reach the network.
 */
export function blockNetwork(session: NetworkSession, onBlocked: (url: string) => void = () => {}): void {
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url);
    if (!allowed) onBlocked(details.url);
    callback({ cancel: !allowed });
  });
}
