import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { FarpointError } from '../../core/errors';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

const PAGE_HEADERS = {
  'Cache-Control': 'no-cache',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
};

/**
 * Serves a file of the built UI. The path is resolved through symlinks and
 * must stay inside `root`; the file is opened once and checked through its
 * handle (so it is the regular file that gets streamed), and a read error
 * while streaming ends that response only.
 */
export async function serveStaticFile(root: string, relative: string, headOnly: boolean, res: http.ServerResponse): Promise<void> {
  if (relative.includes('\0') || !isInside(path.resolve(root), path.resolve(root, relative))) throw new FarpointError('not found', 404);
  const realRoot = await fs.promises.realpath(root).catch(() => {
    throw new FarpointError('the UI is not built: run `npm run build`', 503);
  });
  let file = await resolveInside(realRoot, relative);
  if (file === null) {
    // Client-side routes fall back to the app; missing assets are real 404s.
    if (path.extname(relative)) throw new FarpointError(`not found: ${relative.slice(0, 200)}`, 404);
    file = await resolveInside(realRoot, 'index.html');
    if (file === null) throw new FarpointError('the UI is not built: run `npm run build`', 503);
  }
  // O_NONBLOCK: should a FIFO ever stand there, opening it does not wait for a writer.
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    throw new FarpointError(`cannot read ${path.relative(realRoot, file)}: ${err.code ?? err.message}`, 404);
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FarpointError(`not found: ${path.relative(realRoot, file)} is not a file`, 404);
    res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size });
  } catch (err) {
    await handle.close();
    throw err;
  }
  if (headOnly) {
    await handle.close();
    res.end();
    return;
  }
  const stream = handle.createReadStream();
  // The status line is gone already: cutting the connection short is how the browser learns the file was incomplete.
  stream.on('error', () => res.destroy());
  // A browser that leaves mid-file: stop reading, and close the file.
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

/** The real path of `relative` under `realRoot`, or null when there is no such file; anything that leads outside is a 404. */
async function resolveInside(realRoot: string, relative: string): Promise<string | null> {
  const candidate = path.resolve(realRoot, relative);
  if (!isInside(realRoot, candidate)) throw new FarpointError('not found', 404);
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch {
    return null;
  }
  // A symlink inside the folder must not lead out of it either.
  if (!isInside(realRoot, real)) throw new FarpointError(`not found: ${relative.slice(0, 200)}`, 404);
  return real;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
