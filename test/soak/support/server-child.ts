/**
 * A Farpoint back end in its own process, the way the app or `farpoint serve`
 * runs it: a real Session with its compute worker behind the real web server.
 * The parent kills it with SIGKILL and asks it, over the IPC channel, for the
 * event-loop delay it measured (perf_hooks), so responsiveness is measured in
 * the process that serves the requests, not in the test that sends them.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { workerThreadChannel } from '../../../src/main/app/jobs/compute-channel';
import { startWebServer } from '../../../src/main/doors/server/web-server';
import { createHandlers } from '../../../src/main/app/handlers/handlers';
import { Session } from '../../../src/main/app/session';

export type ToServerChild = { type: 'delay-reset' } | { type: 'delay-read' };
export type FromServerChild =
  | { type: 'ready'; url: string; token: string; pid: number }
  | { type: 'delay'; p50: number; p99: number; max: number; samples: number };

const projectPath = process.argv[2];
if (!projectPath || !process.send) throw new Error('usage: fork server-child.ts PROJECT (with an IPC channel)');
const send = (message: FromServerChild) => process.send!(message);

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const session = new Session(workerThreadChannel);
session.open(projectPath);
const server = await startWebServer(session, createHandlers(session));

process.on('message', (message: ToServerChild) => {
  if (message.type === 'delay-reset') delay.reset();
  else {
    const ms = (ns: number) => ns / 1e6;
    send({ type: 'delay', p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), samples: delay.count });
  }
});
// The parent going away (test failure) must not leave a server behind.
process.on('disconnect', () => {
  void server.close().then(() => session.close()).finally(() => process.exit(0));
});
send({ type: 'ready', url: server.url, token: server.token, pid: process.pid });
