import type { CliCommand } from '../command';
import { intOption } from '../command';
import { workerThreadChannel } from '../../../app/jobs/compute-channel';
import { startWebServer } from '../../server/web-server';
import { createHandlers } from '../../../app/handlers/handlers';
import { Session } from '../../../app/session';

export const serveCommand: CliCommand = {
  name: 'serve',
  args: 'PROJECT',
  summary: 'Serve the Farpoint UI for PROJECT on 127.0.0.1 and print its URL (with a per-run token).',
  options: { port: { type: 'string', value: 'N', description: 'port to listen on (default: a free one)' } },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const port = intOption(ctx, 'port', { min: 0, max: 65535 });
    const session = new Session(workerThreadChannel);
    session.open(ctx.positionals[0]!);
    const server = await startWebServer(session, createHandlers(session), { port });
    ctx.out.result({ url: server.launchUrl, port: server.port, project: session.project.path }, () =>
      [`Farpoint is serving ${session.project.path}`, `Open ${server.launchUrl}`, 'Press Ctrl+C to stop.'].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await session.close();
  },
};
