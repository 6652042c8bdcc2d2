/**
 * A Farpoint back end in its own process, the way the app or `farpoint serve`
 * runs it: a real Session with its compute worker behind the real web server.
 * The parent kills it with SIGKILL and asks it, over the IPC channel, for the
 * event-loop delay it measured (perf_hooks), so responsiveness is measured in
 * the process that serves the requests, not in the test that sends them.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { workerThreadChannel } from '../../../src/main/app/jobs/compute-channel';
import { startWebServer } from '../../../src/main/doors/server/web-server';
import { createHandlers } from '../../../src/main/app/handlers/handlers';
import { Session } from '../../../src/main/app/session';

export type ToServerChild = { type: 'delay-reset' } | { type: 'delay-read' } | { type: 'usage-read' };
export type FromServerChild =
  | { type: 'ready'; url: string; launchUrl: string; token: string; pid: number }
  /** The process's peak resident memory so far (getrusage's ru_maxrss: every thread, the compute worker's too) and its CPU seconds. */
  | { type: 'usage'; peakRssBytes: number; cpuSeconds: number }
  | {
      type: 'delay';
      p50: number;
      p99: number;
      max: number;
      samples: number;
      /** The main thread's own CPU time within each 10 ms tick's gap (null without a per-thread CPU clock): p99 and max. */
      cpuP99: number | null;
      cpuMax: number | null;
      /** Every 10 ms tick's lateness since the reset (ms), so a caller can pool several short windows exactly. */
      lateness: number[];
      /** Every tick's own main-thread CPU within its gap since the reset (ms; empty without a per-thread CPU clock). */
      cpuTicks: number[];
    };

const projectPath = process.argv[2];
if (!projectPath || !process.send) throw new Error('usage: fork server-child.ts PROJECT (with an IPC channel)');
const send = (message: FromServerChild) => process.send!(message);

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

/** CPU milliseconds the main thread has run (Linux: utime + stime of /proc/self/task/<pid>/stat), or null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Timer lateness also counts the time the OS did not run the thread at all (a
 * 2-core machine shared with the compute worker and other processes); so every
 * 10 ms tick also reads the main thread's CPU time, and a late tick counts as
 * blocked only for the CPU time the thread itself spent in that gap (as
 * test/unit/ml-jobs.test.ts measures).
 */
let busyTicks: number[] = [];
let lateness: number[] = [];
let lastWall = performance.now();
let lastCpu = mainThreadCpuMs();
setInterval(() => {
  const wall = performance.now();
  const cpu = mainThreadCpuMs();
  lateness.push(Math.max(0, wall - lastWall - 10));
  if (cpu !== null && lastCpu !== null) busyTicks.push(Math.min(wall - lastWall, cpu - lastCpu));
  lastWall = wall;
  lastCpu = cpu;
}, 10).unref();
const session = new Session(workerThreadChannel);
session.open(projectPath);
const server = await startWebServer(session, createHandlers(session));

process.on('message', (message: ToServerChild) => {
  if (message.type === 'usage-read') {
    const usage = process.resourceUsage();
    send({ type: 'usage', peakRssBytes: usage.maxRSS * 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 });
  } else if (message.type === 'delay-reset') {
    delay.reset();
    busyTicks = [];
    lateness = [];
  } else {
    const ms = (ns: number) => ns / 1e6;
    const sorted = [...busyTicks].sort((a, b) => a - b);
    const cpuP99 = sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]! : null;
    const cpuMax = sorted.length > 0 ? sorted[sorted.length - 1]! : null;
    send({ type: 'delay', p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), samples: delay.count, cpuP99, cpuMax, lateness, cpuTicks: busyTicks });
  }
});
// The parent going away (test failure) must not leave a server behind.
process.on('disconnect', () => {
  void server.close().then(() => session.close()).finally(() => process.exit(0));
});
send({ type: 'ready', url: server.url, launchUrl: server.launchUrl, token: server.token, pid: process.pid });
