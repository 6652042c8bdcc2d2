import type { ArgOf, RequestName, ResultOf } from '../../../shared/contract';
import type { JobInfo, JobProgress } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { createHandlers, dispatch } from '../../app/handlers/handlers';
import { inThreadChannel } from '../../app/jobs/compute-channel';
import { Session } from '../../app/session';

/**
 * The CLI as a client of the contract: each command's requests go through
 * the same dispatch as the UI's (argument validated by the request's zod
 * schema, the same handler), in this process, on a session of its own.
 * Long work runs as the same job the UI starts, on this thread (inThreadChannel:
 * a command has nothing else to keep responsive, and starts no worker first).
 */
export interface ContractClient {
  call<K extends RequestName>(name: K, arg: ArgOf<K>): Promise<ResultOf<K>>;
  /** Waits for the job a request started (its id), reporting its progress; its result, or a FarpointError with the job's error. */
  finish(jobId: string, onProgress?: (progress: JobProgress) => void): Promise<unknown>;
}

/** Opens (or, with `create`, creates) PROJECT for one command, and closes it and its compute worker afterwards. */
export async function withProject<T>(file: string, use: (client: ContractClient) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const session = new Session(inThreadChannel, { rememberProjects: false });
  const handlers = createHandlers(session);
  const client: ContractClient = {
    call: async (name, arg) => (await dispatch(handlers, name, arg)) as ResultOf<typeof name>,
    finish: (jobId, onProgress) => waitForJob(session, jobId, onProgress),
  };
  try {
    if (options.create) await client.call('createProject', { path: file });
    else await client.call('openProject', { path: file });
    return await use(client);
  } finally {
    await session.close();
  }
}

function waitForJob(session: Session, jobId: string, onProgress?: (progress: JobProgress) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const settle = (job: JobInfo): boolean => {
      if (job.state === 'done') resolve(job.result);
      else if (job.state === 'failed' || job.state === 'cancelled') reject(new FarpointError(job.error ?? `the ${job.kind} job was ${job.state}`, 500));
      else return false;
      return true;
    };
    const unsubscribe = session.events.subscribe((event) => {
      if (event.type !== 'job' || event.job.id !== jobId) return;
      if (settle(event.job)) unsubscribe();
      else onProgress?.(event.job.progress);
    });
    // It may have ended before the subscription: the job manager knows its state now.
    if (settle(session.jobs.get(jobId))) unsubscribe();
  });
}
