import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { FarpointError, messageOf } from '../../core/errors';
import type { MediaBody, MediaKind } from '../../app/media';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { securityHeaders } from './content-security-policy';

// The callback forms, because Electron's asar support patches them for files inside app.asar.
const realpath = promisify(fs.realpath);
const readFile = promisify(fs.readFile);
const stat = promisify(fs.stat);

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

export interface AppProtocolOptions {
  /** The built UI (dist/renderer); nothing outside it is ever served as an app file. */
  rendererDir: string;
  /**
   * The open project's image of a sample (app's media, which owns the project
   * file); throws a FarpointError (409) when no project is open.
   */
  media: (kind: MediaKind, id: number, maxSize: number | undefined) => Promise<MediaBody>;
}

export type AppProtocolHandler = (request: Request) => Promise<Response>;

/**
 * The `farpoint://` protocol: `farpoint://app/<file>` serves the UI bundle,
 * `farpoint://app/media/thumb/ID` and `.../media/image/ID?max=N` the open
 * project's images by sample id (so the page can never name a file path).
 * Everything else is a 404.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): AppProtocolHandler {
  const root = path.resolve(options.rendererDir);
  return async (request) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
      const url = new URL(request.url);
      if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') throw new FarpointError('not found', 404);
      const media = /^\/media\/(thumb|image)\/([1-9]\d{0,14})$/.exec(url.pathname);
      if (media) return await serveMedia(options.media, media[1] as MediaKind, Number(media[2]), url.searchParams.get('max'));
      if (url.pathname.startsWith('/media/')) throw new FarpointError('not found', 404);
      return await serveAppFile(root, url.pathname, request.method === 'HEAD');
    } catch (err) {
      return errorResponse(err);
    }
  };
}

async function serveMedia(media: AppProtocolOptions['media'], kind: MediaKind, id: number, max: string | null): Promise<Response> {
  if (max !== null && !/^\d{1,5}$/.test(max)) throw new FarpointError('max must be a whole number of pixels', 400);
  const body = await media(kind, id, max === null ? undefined : Number(max));
  return new Response(new Uint8Array(body.data), {
    status: 200,
    // Patient images: never kept in Chromium's disk cache, as in web mode.
    headers: { ...securityHeaders, 'Content-Type': body.mime, 'Cache-Control': 'no-store' },
  });
}

/**
 * A file of the UI bundle, resolved so that no spelling of the path (encoded
 * `..`, backslashes, NUL, a symlink) can reach outside `root`.
 */
async function serveAppFile(root: string, pathname: string, headOnly: boolean): Promise<Response> {
  const file = await resolveInside(root, pathname);
  const data = headOnly ? null : await readFile(file);
  return new Response(data === null ? null : new Uint8Array(data), {
    status: 200,
    headers: { ...securityHeaders, 'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' },
  });
}

export async function resolveInside(root: string, pathname: string): Promise<string> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    throw new FarpointError('not found', 404);
  }
  if (relative.includes('\0') || relative.includes('\\')) throw new FarpointError('not found', 404);
  relative = relative.replace(/^\/+/, '');
  if (relative === '') relative = 'index.html';
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate)) throw new FarpointError('not found', 404);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    // Client-side routes (no extension) fall back to the app; a missing asset is a real 404.
    if (path.extname(relative) !== '') throw new FarpointError('not found', 404);
    return resolveInside(root, '/index.html');
  }
  // A symlink inside the bundle must not lead out of it either.
  if (!isInside(await realpath(root), real) || !(await stat(real)).isFile()) throw new FarpointError('not found', 404);
  return real;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function errorResponse(err: unknown): Response {
  if (err instanceof FarpointError) return textResponse(err.status, err.message);
  return textResponse(500, `internal error: ${messageOf(err)}`);
}

function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
