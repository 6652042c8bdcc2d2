import type { CustomScheme } from 'electron';

/**
 * The app's own origin. Everything the window loads comes from here: the UI
 * bundle and the open project's images, never `file://` (which would give the
 * page the whole disk) and never the network.
 */
export const APP_SCHEME = 'farpoint';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/** Same origin as the UI, so the CSP's 'self' covers images and nothing else has to be allowed. */
export const MEDIA_BASE = `${APP_ORIGIN}/media`;

/**
 * Registered before the app is ready. `standard` gives the scheme real origins
 * (so 'self' and same-origin checks work), `secure` makes it a secure context,
 * `corsEnabled` lets module scripts (always fetched in CORS mode) load; no
 * `bypassCSP`, so the page's policy applies to it like to any other source.
 */
export const appSchemePrivileges: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true },
};

/**
 * True for URLs of the app itself. Compared by scheme and host rather than
 * `URL.origin`, which is the string 'null' for custom schemes in Node.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname === APP_HOST && parsed.port === '' && parsed.username === '' && parsed.password === '';
}
