import { workerThreadChannel } from '../../src/main/app/jobs/compute-channel';
import { startWebServer, type RunningWebServer, type WebServerOptions } from '../../src/main/doors/server/web-server';
import { createHandlers } from '../../src/main/app/handlers/handlers';
import type { Handlers } from '../../src/main/app/handlers/handler-types';
import { Session } from '../../src/main/app/session';

export interface TestBackend {
  session: Session;
  handlers: Handlers;
  server: RunningWebServer;
  /** Calls the contract over HTTP with the token, as the web client does. */
  call(name: string, arg?: unknown): Promise<{ status: number; body: { result?: unknown; error?: string } }>;
  close(): Promise<void>;
}

/** A real session with a compute worker behind a real web server on 127.0.0.1. */
export async function startBackend(projectPath: string | null, options: { create?: boolean; server?: WebServerOptions } = {}): Promise<TestBackend> {
  const session = new Session(workerThreadChannel);
  if (projectPath) session.open(projectPath, { create: options.create });
  const handlers = createHandlers(session);
  const server = await startWebServer(session, handlers, options.server);
  return {
    session,
    handlers,
    server,
    async call(name, arg = {}) {
      const res = await fetch(`${server.url}/api/call/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(arg),
      });
      return { status: res.status, body: (await res.json()) as { result?: unknown; error?: string } };
    },
    async close() {
      await server.close();
      await session.close();
    },
  };
}
