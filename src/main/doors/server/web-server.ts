import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FarpointError } from '../../core/errors';
import { rendererDir } from '../../core/runtime/paths';
import type { Handlers } from '../../app/handlers/handler-types';
import { mediaFor, type MediaKind } from '../../app/media';
import type { Session } from '../../app/session';
import { handleApi } from './api-call';
import { decodePath, sendError, sendJson } from './http-replies';
import { assertSameOrigin, isAuthorized, viewKeyOf, type Route } from './request-guard';
import { serveStaticFile } from './static-files';

export { MAX_BODY_BYTES } from './api-call';

export interface WebServerOptions {
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  staticDir?: string;
  /** How long one image read may take before it answers 504 (tests shorten it). */
  mediaDeadlineMs?: number;
}

export interface RunningWebServer {
  url: string;
  /** The URL to open: the page takes the token from it, keeps it for the tab, and removes it from the address bar. */
  launchUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The contract over HTTP for the browser front door. Listens on 127.0.0.1
 * only and requires a loopback Host header (which stops DNS-rebinding
 * pages). Who may call it, and how, is argued in request-guard.ts: the token
 * as a header, same-origin browser requests, JSON bodies. Nothing it answers
 * from the API or the project's images may be stored by the browser.
 */
export async function startWebServer(session: Session, handlers: Handlers, options: WebServerOptions = {}): Promise<RunningWebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const viewKey = viewKeyOf(token);
  const staticDir = options.staticDir ?? rendererDir;
  const sseClients = new Set<http.ServerResponse>();

  const unsubscribe = session.events.subscribe((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of sseClients) res.write(line);
  });

  const server = http.createServer((req, res) => {
    // A response stream can fail (the browser went away mid-answer); that ends this answer, never the server.
    res.on('error', () => res.destroy());
    handle(req, res).catch((err) => sendError(res, err));
  });
  // Node closes a keep-alive connection idle for keepAliveTimeout (5 s by default) when its timers run: after a
  // long stall of this thread on a loaded machine that can be just as the client's next request arrives on it, which
  // is then reset (ECONNRESET) unanswered. Clients (undici, browsers) close idle connections well before a minute.
  server.keepAliveTimeout = 60_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const port = (server.address() as AddressInfo).port;
    if (!isLoopbackHost(req.headers.host, port)) return sendJson(res, 403, { error: 'forbidden: Host must be 127.0.0.1 or localhost' });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const { route, media } = routeOf(url.pathname);
    assertSameOrigin(req, route);
    if (route !== 'page' && !isAuthorized(req, url, route, token, viewKey)) {
      return sendJson(res, 401, { error: 'unauthorized: open the URL with the token that `farpoint serve` printed' });
    }
    if (route === 'api') return handleApi(req, res, url, handlers, viewKey);
    if (route === 'events') return openEventStream(req, res, sseClients);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    if (media) return sendMedia(req, res, session.project, media, url, options.mediaDeadlineMs);
    const relative = url.pathname === '/' ? 'index.html' : decodePath(url.pathname).replace(/^\/+/, '');
    return serveStaticFile(staticDir, relative, req.method === 'HEAD', res);
  }

  await listen(server, options.port);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    launchUrl: `${url}/?token=${token}`,
    token,
    port,
    close: () => closeServer(server, sseClients, unsubscribe),
  };
}

/** Which guard rules a path falls under (request-guard.ts), with a media path's kind and id. */
function routeOf(pathname: string): { route: Route; media: RegExpExecArray | null } {
  const media = /^\/media\/(thumb|image)\/(\d{1,15})$/.exec(pathname);
  const route: Route = pathname.startsWith('/api/') ? (pathname === '/api/events' ? 'events' : 'api') : media ? 'media' : 'page';
  return { route, media };
}

/** Server-sent events: the session's events go to every open stream until the client goes away. */
function openEventStream(req: http.IncomingMessage, res: http.ServerResponse, sseClients: Set<http.ServerResponse>): void {
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' });
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  sseClients.add(res);
  req.on('close', () => sseClients.delete(res));
}

async function sendMedia(req: http.IncomingMessage, res: http.ServerResponse, project: Session['project'], media: RegExpExecArray, url: URL, deadlineMs: number | undefined): Promise<void> {
  const body = await mediaFor(project, media[1] as MediaKind, Number(media[2]), Number(url.searchParams.get('max') ?? 1024), deadlineMs);
  // Patient images: never written to the browser's disk cache.
  res.writeHead(200, { 'Content-Type': body.mime, 'Cache-Control': 'no-store', 'Content-Length': body.data.length });
  res.end(req.method === 'HEAD' ? undefined : body.data);
}

function listen(server: http.Server, port: number | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new FarpointError(err.code === 'EADDRINUSE' ? `port ${port} is already in use` : `cannot listen: ${err.message}`)),
    );
    server.listen(port ?? 0, '127.0.0.1', () => resolve());
  });
}

/** Ends the event streams and every open connection, then stops listening. */
async function closeServer(server: http.Server, sseClients: Set<http.ServerResponse>, unsubscribe: () => void): Promise<void> {
  unsubscribe();
  for (const res of sseClients) res.end();
  sseClients.clear();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  return allowed.includes(host.toLowerCase());
}
