import type { ForkOptions, UtilityProcess } from 'electron';
import type { ComputeChannel } from '../../app/jobs/compute-channel';
import type { FromCompute, ToCompute } from '../../app/jobs/compute-messages';

export type ForkUtilityProcess = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

/**
 * The compute side as an Electron utility process: a separate OS process
 * (so native TensorFlow and a crash in training stay out of the window's
 * process), behind the same ComputeChannel the Node front doors get from a
 * worker thread. The entry runs the shared `serveCompute` loop.
 */
export function utilityProcessChannel(fork: ForkUtilityProcess, entry: string): ComputeChannel {
  const child = fork(entry, [], { serviceName: 'Farpoint compute', stdio: 'inherit' });
  let exited = false;
  let fatal: string | null = null;
  let exitListener: (reason: string | null) => void = () => {};
  const exitWaiters: (() => void)[] = [];
  child.on('error', (type, location) => {
    fatal = `${type} at ${location}`;
  });
  child.on('exit', (code) => {
    exited = true;
    exitListener(code === 0 && !fatal ? null : (fatal ?? `exit code ${code}`));
    for (const resolve of exitWaiters.splice(0)) resolve();
  });
  return {
    post: (message: ToCompute) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (message: FromCompute) => listener(message)),
    onExit: (listener) => {
      exitListener = listener;
    },
    terminate: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        exitWaiters.push(resolve);
        child.kill();
      }),
  };
}
