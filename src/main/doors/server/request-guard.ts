import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { FarpointError } from '../../core/errors';

/*
 * Who may use the web server, and why it is built this way.
 *
 * Every port of 127.0.0.1 is one cookie jar: a cookie set by this server is
 * sent by the browser to any other local server the user visits (which can
 * replay it), and a cookie left by an earlier run or another served project
 * shadows the token of this one. So the server sets no cookie and reads none.
 *
 * Instead the page keeps the token in sessionStorage, which belongs to one
 * origin (scheme, host AND port) and one tab, and sends it as an
 * `Authorization: Bearer` header on every call. A page of another origin can
 * neither read that storage nor make the browser add the header for it (a
 * cross-origin request with that header needs a CORS preflight this server
 * never grants; a no-cors request may not carry it at all). The launch URL's
 * `?token=` is read by the page, always replaces whatever the tab stored, and
 * is removed from the address bar; the server never accepts a token from a
 * query string, so it cannot leak through history or logs into use.
 *
 * `<img>` and `EventSource` cannot send headers, so GETs of media and of the
 * event stream also accept a view key: an HMAC of the token, handed out only
 * to a caller that presented the token as a header. It reads images and
 * events and nothing else, so if it ever leaked it could change nothing; it
 * changes with every run, so it cannot outlive the server that issued it.
 *
 * On top of that, browser requests must be same-origin: a POST from a page
 * must carry an Origin equal to this server's, and any `Sec-Fetch-Site` other
 * than `same-origin` (or `none` for a typed-in page load) is refused. A POST
 * must be `application/json`, a type no HTML form and no no-cors fetch can
 * send. Clients that are not browsers (the CLI, curl, the tests) send no
 * Origin and no Sec-Fetch headers and are admitted by the header token alone.
 */

export type Route = 'api' | 'media' | 'events' | 'page';

export function viewKeyOf(token: string): string {
  return createHmac('sha256', token).update('farpoint view key').digest('base64url');
}

/** Throws a 403 unless a browser request comes from this server's own origin; non-browser clients pass. */
export function assertSameOrigin(req: http.IncomingMessage, route: Route): void {
  const site = header(req, 'sec-fetch-site');
  const allowedSites = route === 'page' ? ['same-origin', 'none'] : ['same-origin'];
  if (site !== null && !allowedSites.includes(site)) {
    if (route === 'page') throw new FarpointError(`forbidden: another site may not load Farpoint's page (Sec-Fetch-Site: ${site}); paste the URL that \`farpoint serve\` printed into the address bar`, 403);
    throw new FarpointError(`forbidden: a ${site} request (Sec-Fetch-Site) may not use Farpoint; only its own page may`, 403);
  }
  if (route === 'page') return;
  const origin = header(req, 'origin');
  const expected = `http://${(req.headers.host ?? '').toLowerCase()}`;
  if (origin !== null && origin.toLowerCase() !== expected) throw new FarpointError(`forbidden: requests from origin ${origin.slice(0, 100)} are refused; only ${expected} may call Farpoint`, 403);
  // A browser always sends Origin with a POST; one that sends Sec-Fetch-Site without it is not the app's page.
  if (req.method === 'POST' && origin === null && site !== null) throw new FarpointError('forbidden: a browser POST without an Origin header', 403);
}

/** The call's body must be JSON: HTML forms and no-cors fetches cannot send that type, so they cannot call in. */
export function assertJsonBody(req: http.IncomingMessage): void {
  const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new FarpointError(`unsupported Content-Type ${JSON.stringify(type || '(none)')}: calls must send application/json`, 415);
}

/** True when the request carries the token as a header, or (media and events only) the view key as `?key=`. */
export function isAuthorized(req: http.IncomingMessage, url: URL, route: Route, token: string, viewKey: string): boolean {
  const auth = header(req, 'authorization');
  if (auth?.startsWith('Bearer ') && secretMatches(auth.slice(7), token)) return true;
  if ((route === 'media' || route === 'events') && req.method === 'GET') return secretMatches(url.searchParams.get('key'), viewKey);
  return false;
}

function secretMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}
