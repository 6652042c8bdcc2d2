import type http from 'node:http';
import { BINARY_MIME, encodeBinary, hasBinaryResult, isRequestName, withTypedArraysAsLists } from '../../../shared/contract';
import { FarpointError } from '../../core/errors';
import { dispatch } from '../../app/handlers/handlers';
import type { Handlers } from '../../app/handlers/handler-types';
import { decodePath, sendJson } from './http-replies';
import { assertJsonBody } from './request-guard';

/** Largest request body accepted (JSON arguments are small; 1 MiB leaves room for bulk id lists). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An authorised /api/ request: the view key, or a contract request by name with its JSON argument. */
export async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, handlers: Handlers, viewKey: string): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
  assertJsonBody(req);
  if (url.pathname === '/api/view-key') return sendJson(res, 200, { result: { viewKey } });
  if (!url.pathname.startsWith('/api/call/')) return sendJson(res, 404, { error: `no such API route: ${url.pathname.slice(0, 100)}` });
  const name = decodePath(url.pathname.slice('/api/call/'.length));
  const arg = parseArgument(await readBody(req));
  const result = await dispatch(handlers, name, arg);
  sendResult(req, res, name, result);
}

/** An empty body is an empty argument. */
function parseArgument(body: Buffer): unknown {
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new FarpointError('request body is not valid JSON', 400);
  }
}

function sendResult(req: http.IncomingMessage, res: http.ServerResponse, name: string, result: unknown): void {
  if (isRequestName(name) && hasBinaryResult(name)) {
    // 100,000 map points as JSON cost ~300 ms of this thread; as bytes, a copy. JSON clients still get JSON.
    if (acceptsBinary(req)) return sendBinary(res, { result: result ?? null });
    return sendJson(res, 200, { result: withTypedArraysAsLists(result ?? null) });
  }
  return sendJson(res, 200, { result: result ?? null });
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
