import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BINARY_MIME, decodeBinary } from '../../../src/shared/contract';
import type { FromServerChild } from './server-child';

const childEntry = path.join(import.meta.dirname, 'server-child.ts');

export interface CallOutcome {
  status: number;
  body: { result?: unknown; error?: string };
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** The URL a browser opens (it carries the token). */
  launchUrl: string;
  token: string;
  call(name: string, arg?: unknown): Promise<CallOutcome>;
  /**
   * Event-loop delay measured inside the server process since the last reset (milliseconds); cpuP99/cpuMax count
   * only the main thread's own CPU time per 10 ms tick (null without a per-thread CPU clock).
   */
  delay(): Promise<Omit<Extract<FromServerChild, { type: 'delay' }>, 'type'>>;
  resetDelay(): void;
  /** The server process's peak RSS so far and its CPU seconds, all threads (the compute worker runs in it). */
  usage(): Promise<{ peakRssBytes: number; cpuSeconds: number }>;
  /** SIGKILL, as a power cut or a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Orderly stop (disconnect: the child closes its server and session). */
  stop(): Promise<void>;
}

/** Starts a back end for `projectPath` in a child process and waits until it listens. */
export async function startServerProcess(projectPath: string): Promise<ServerProcess> {
  // FARPOINT_SOAK_CPU_PROF=DIR: the child writes a V8 CPU profile there when it stops (orderly stop only), to find a long main-thread task.
  const child = fork(childEntry, [projectPath], { execArgv: ['--import', 'tsx', ...(process.env.FARPOINT_SOAK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FARPOINT_SOAK_CPU_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Extract<FromServerChild, { type: 'ready' }>>((resolve, reject) => {
    const onMessage = (message: FromServerChild) => {
      if (message.type === 'ready') {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) => reject(new Error(`server child for ${projectPath} exited before listening (code ${code}, signal ${signal})`)));
  });
  const call = async (name: string, arg: unknown = {}): Promise<CallOutcome> => {
    const res = await fetch(`${ready.url}/api/call/${name}`, {
      method: 'POST',
      // As the web client asks: the latent map comes back as bytes, the rest as JSON.
      headers: { Authorization: `Bearer ${ready.token}`, 'Content-Type': 'application/json', Accept: `${BINARY_MIME}, application/json` },
      body: JSON.stringify(arg),
    });
    if (res.headers.get('content-type') === BINARY_MIME) return { status: res.status, body: decodeBinary(await res.arrayBuffer()) as CallOutcome['body'] };
    return { status: res.status, body: (await res.json()) as CallOutcome['body'] };
  };
  return {
    child,
    url: ready.url,
    launchUrl: ready.launchUrl,
    token: ready.token,
    call,
    resetDelay: () => child.send({ type: 'delay-reset' }),
    usage: () =>
      new Promise((resolve) => {
        const onMessage = (message: FromServerChild) => {
          if (message.type !== 'usage') return;
          child.off('message', onMessage);
          resolve({ peakRssBytes: message.peakRssBytes, cpuSeconds: message.cpuSeconds });
        };
        child.on('message', onMessage);
        child.send({ type: 'usage-read' });
      }),
    delay: () =>
      new Promise((resolve) => {
        const onMessage = (message: FromServerChild) => {
          if (message.type !== 'delay') return;
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        child.send({ type: 'delay-read' });
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.disconnect();
      await exited;
    },
  };
}
