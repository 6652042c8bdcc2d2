import type http from 'node:http';
import { FarpointError, messageOf } from '../../core/errors';

/** decodeURIComponent throws on broken escapes (`%E0%A4%A`): that is the client's mistake, a 400, not an internal error. */
export function decodePath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new FarpointError(`request path is not valid percent-encoding: ${encoded.slice(0, 100)}`, 400);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(data);
}

export function sendError(res: http.ServerResponse, err: unknown): void {
  if (err instanceof FarpointError) return sendJson(res, err.status, { error: err.message });
  sendJson(res, 500, { error: `internal error: ${messageOf(err)}` });
}
