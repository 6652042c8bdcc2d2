import { randomUUID } from 'node:crypto';
import type { JobInfo, JobKind } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import type { EventBus } from '../event-bus';
import type { ComputeChannel, ComputeChannelFactory } from './compute-channel';
import { jobChanges, type JobParams } from '../../core/job-types';
import type { FromCompute } from './compute-messages';

interface QueuedJob {
  info: JobInfo;
  params: unknown;
  projectPath: string;
}

/**
 * Runs long jobs on the compute side, one at a time in arrival order, and
 * turns their messages into job events. If the compute side dies, the
 * running job fails with the reason and the next job gets a fresh one: the
 * project file is only ever written in committed transactions, so nothing
 * already saved is lost.
 */
export class JobManager {
  private readonly jobs = new Map<string, QueuedJob>();
  private readonly waiting: QueuedJob[] = [];
  private running: QueuedJob | null = null;
  private channel: ComputeChannel | null = null;

  constructor(
    private readonly events: EventBus,
    private readonly channelFactory: ComputeChannelFactory,
  ) {}

  start<K extends JobKind>(kind: K, params: JobParams[K], projectPath: string): JobInfo {
    const info: JobInfo = {
      id: randomUUID().replace(/-/g, '').slice(0, 16),
      kind,
      state: 'queued',
      progress: { done: 0, total: 0, unit: '', message: 'waiting for the compute worker' },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
      result: null,
    };
    const job = { info, params, projectPath };
    this.jobs.set(info.id, job);
    this.waiting.push(job);
    this.publish(job);
    this.pump();
    return { ...info };
  }

  get(id: string): JobInfo {
    const job = this.jobs.get(id);
    if (!job) throw new FarpointError(`no job with id ${id}`, 404);
    return { ...job.info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info })).reverse();
  }

  cancel(id: string): JobInfo {
    const job = this.jobs.get(id);
    if (!job) throw new FarpointError(`no job with id ${id}`, 404);
    if (job.info.state === 'queued') {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.finish(job, 'cancelled', null, 'cancelled');
    } else if (job.info.state === 'running') {
      this.channel?.post({ type: 'cancel', id });
      job.info.progress = { ...job.info.progress, message: 'cancelling…' };
      this.publish(job);
    }
    return { ...job.info };
  }

  /** Resolves when the job reaches a final state. */
  waitFor(id: string): Promise<JobInfo> {
    return new Promise((resolve) => {
      const check = () => {
        const info = this.get(id);
        if (info.state === 'done' || info.state === 'failed' || info.state === 'cancelled') {
          unsubscribe();
          resolve(info);
        }
      };
      const unsubscribe = this.events.subscribe((event) => {
        if (event.type === 'job' && event.job.id === id) check();
      });
      check();
    });
  }

  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = null;
    await channel?.terminate();
  }

  private pump(): void {
    if (this.running || this.waiting.length === 0) return;
    const job = this.waiting.shift()!;
    this.running = job;
    job.info.state = 'running';
    job.info.progress = { ...job.info.progress, message: 'starting' };
    this.publish(job);
    this.ensureChannel().post({ type: 'run', id: job.info.id, kind: job.info.kind, params: job.params, projectPath: job.projectPath });
  }

  private ensureChannel(): ComputeChannel {
    if (this.channel) return this.channel;
    const channel = this.channelFactory();
    channel.onMessage((message) => this.onMessage(message));
    channel.onExit((reason) => {
      if (this.channel === channel) this.channel = null;
      const job = this.running;
      if (job) this.finish(job, 'failed', null, `the compute worker stopped unexpectedly (${reason ?? 'no reason given'}); labels and imported samples are safe, run the job again`);
    });
    this.channel = channel;
    return channel;
  }

  private onMessage(message: FromCompute): void {
    if (message.type === 'log') return;
    const job = this.jobs.get(message.id);
    if (!job || job.info.state !== 'running') return;
    if (message.type === 'progress') {
      job.info.progress = message.progress;
      this.publish(job);
    } else if (message.type === 'done') {
      this.finish(job, 'done', message.result, null);
    } else {
      this.finish(job, message.cancelled ? 'cancelled' : 'failed', null, message.error);
    }
  }

  private finish(job: QueuedJob, state: JobInfo['state'], result: unknown, error: string | null): void {
    job.info.state = state;
    job.info.result = result;
    job.info.error = error;
    job.info.finishedAt = new Date().toISOString();
    this.publish(job);
    if (state === 'done') this.events.emit({ type: 'projectChanged', what: jobChanges[job.info.kind] });
    if (this.running === job) {
      this.running = null;
      this.pump();
    }
  }

  private publish(job: QueuedJob): void {
    this.events.emit({ type: 'job', job: { ...job.info } });
  }
}
