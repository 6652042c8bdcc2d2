import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BINARY_MIME, encodeBinary, hasBinaryResult, isRequestName, withTypedArraysAsLists } from '../../../shared/contract';
import { FarpointError, messageOf } from '../../core/errors';
import { rendererDir } from '../../core/runtime/paths';
import { dispatch } from '../../app/handlers/handlers';
import type { Handlers } from '../../app/handlers/handler-types';
import { mediaFor, type MediaKind } from '../../app/media';
import type { Session } from '../../app/session';
import { assertJsonBody, assertSameOrigin, isAuthorized, viewKeyOf, type Route } from './request-guard';
import { serveStaticFile } from './static-files';

/** Largest request body accepted (JSON arguments are small; 1 MiB leaves room for bulk id lists). */
export const MAX_BODY_BYTES = 1024 * 1024;

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
    const media = /^\/media\/(thumb|image)\/(\d{1,15})$/.exec(url.pathname);
    const route: Route = url.pathname.startsWith('/api/') ? (url.pathname === '/api/events' ? 'events' : 'api') : media ? 'media' : 'page';
    assertSameOrigin(req, route);
    if (route !== 'page' && !isAuthorized(req, url, route, token, viewKey)) {
      return sendJson(res, 401, { error: 'unauthorized: open the URL with the token that `farpoint serve` printed' });
    }

    if (route === 'api') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
      assertJsonBody(req);
      if (url.pathname === '/api/view-key') return sendJson(res, 200, { result: { viewKey } });
      if (!url.pathname.startsWith('/api/call/')) return sendJson(res, 404, { error: `no such API route: ${url.pathname.slice(0, 100)}` });
      const name = decodePath(url.pathname.slice('/api/call/'.length));
      const body = await readBody(req);
      let arg: unknown;
      try {
        arg = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new FarpointError('request body is not valid JSON', 400);
      }
      const result = await dispatch(handlers, name, arg);
      if (isRequestName(name) && hasBinaryResult(name)) {
        // 100,000 map points as JSON cost ~300 ms of this thread; as bytes, a copy. JSON clients still get JSON.
        if (acceptsBinary(req)) return sendBinary(res, { result: result ?? null });
        return sendJson(res, 200, { result: withTypedArraysAsLists(result ?? null) });
      }
      return sendJson(res, 200, { result: result ?? null });
    }
    if (route === 'events') {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' });
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    if (media) {
      const body = await mediaFor(session.project, media[1] as MediaKind, Number(media[2]), Number(url.searchParams.get('max') ?? 1024), options.mediaDeadlineMs);
      // Patient images: never written to the browser's disk cache.
      res.writeHead(200, { 'Content-Type': body.mime, 'Cache-Control': 'no-store', 'Content-Length': body.data.length });
      res.end(req.method === 'HEAD' ? undefined : body.data);
      return;
    }
    const relative = url.pathname === '/' ? 'index.html' : decodePath(url.pathname).replace(/^\/+/, '');
    return serveStaticFile(staticDir, relative, req.method === 'HEAD', res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new FarpointError(err.code === 'EADDRINUSE' ? `port ${options.port} is already in use` : `cannot listen: ${err.message}`)),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    launchUrl: `${url}/?token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const res of sseClients) res.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** decodeURIComponent throws on broken escapes (`%E0%A4%A`): that is the client's mistake, a 400, not an internal error. */
function decodePath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new FarpointError(`request path is not valid percent-encoding: ${encoded.slice(0, 100)}`, 400);
  }
}

function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  return allowed.includes(host.toLowerCase());
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      return reject(new FarpointError(`request body over ${MAX_BODY_BYTES} bytes`, 413));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new FarpointError(`request body over ${MAX_BODY_BYTES} bytes`, 413));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function acceptsBinary(req: http.IncomingMessage): boolean {
  return (req.headers.accept ?? '').split(',').some((type) => type.split(';')[0]!.trim().toLowerCase() === BINARY_MIME);
}

/** The binary form (binary-codec.ts): the typed arrays' memory is written as it is, without a copy. */
function sendBinary(res: http.ServerResponse, body: unknown): void {
  const { chunks, byteLength } = encodeBinary(body);
  res.writeHead(200, { 'Content-Type': BINARY_MIME, 'Content-Length': byteLength, 'Cache-Control': 'no-store' });
  for (const chunk of chunks) res.write(chunk);
  res.end();
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(data);
}

function sendError(res: http.ServerResponse, err: unknown): void {
  if (err instanceof FarpointError) return sendJson(res, err.status, { error: err.message });
  sendJson(res, 500, { error: `internal error: ${messageOf(err)}` });
}
