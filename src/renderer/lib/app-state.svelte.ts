import type { FarpointEvent, ProjectChange } from '../../shared/contract';
import { UnsavedLabels } from './unsaved-labels.svelte';
import { ProjectDecisions } from './project-decisions.svelte';
import type { JobInfo, ProjectStatus } from '../../shared/domain';
import type { FarpointClient } from './client-types';
import { Router } from './router.svelte';
import { RequestError } from './web-client';

/** State shared by every view: the open project, running jobs, the last error. Views read it; events keep it fresh. */
export class AppState {
  status = $state<ProjectStatus | null>(null);
  jobs = $state<JobInfo[]>([]);
  error = $state<string | null>(null);
  /** Labels whose save failed, kept for a retry (see UnsavedLabels). */
  readonly unsaved = new UnsavedLabels();
  /** Bumped per kind of change so views can re-fetch with `$derived`/`$effect` on just what changed. */
  revision = $state<Record<ProjectChange, number>>({
    samples: 0,
    thumbnails: 0,
    labels: 0,
    embeddings: 0,
    models: 0,
    queue: 0,
    settings: 0,
    evaluations: 0,
    project: 0,
  });
  readonly client: FarpointClient;
  readonly router = new Router();
  /** True while the user is on the open/create screen although a project is open (switching projects). */
  choosingProject = $state(false);

  /** What the expert decided in the open project since it was opened here, with undo and redo (Annotate and Duplicates share it). */
  readonly decisions: ProjectDecisions;

  constructor(client: FarpointClient) {
    // A thumbnail's URL carries the thumbnails' revision: after they are rendered again (a new window/level) the
    // page fetches the new ones instead of reusing the images it already shows under the same URL.
    this.client = { ...client, thumbUrl: (id) => withRevision(client.thumbUrl(id), this.revision.thumbnails) };
    this.decisions = new ProjectDecisions(client.api);
  }

  get api() {
    return this.client.api;
  }

  get activeJob(): JobInfo | null {
    return this.jobs.find((j) => j.state === 'running') ?? this.jobs.find((j) => j.state === 'queued') ?? null;
  }

  async start(): Promise<() => void> {
    const unsubscribe = this.client.onEvent((event) => this.onEvent(event));
    const stopRouter = this.router.listen();
    const stopErrors = this.catchStrayErrors();
    await this.refreshStatus();
    this.jobs = await this.api.listJobs({}).catch(() => []);
    return () => {
      unsubscribe();
      stopRouter();
      stopErrors();
    };
  }

  /** A failure nobody awaited still reaches the user as a message, never as a silently dead button. */
  private catchStrayErrors(): () => void {
    const onRejection = (event: PromiseRejectionEvent) => {
      this.error = messageOf(event.reason);
    };
    const onError = (event: ErrorEvent) => {
      this.error = messageOf(event.error ?? event.message);
    };
    window.addEventListener('unhandledrejection', onRejection);
    window.addEventListener('error', onError);
    return () => {
      window.removeEventListener('unhandledrejection', onRejection);
      window.removeEventListener('error', onError);
    };
  }

  async refreshStatus(): Promise<void> {
    try {
      this.status = await this.api.getStatus({});
      this.decisions.follow(this.status.path);
    } catch (err) {
      this.status = null;
      // A web page opened without its token: say how to get in rather than show an empty project screen.
      if (err instanceof RequestError && err.status === 401) this.error = err.message;
    }
  }

  /** Runs a UI action; its failure becomes a readable message instead of a blank screen. */
  async attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      this.error = null;
      return await action();
    } catch (err) {
      this.error = messageOf(err);
      return undefined;
    }
  }

  private onEvent(event: FarpointEvent): void {
    if (event.type === 'job') {
      const others = this.jobs.filter((j) => j.id !== event.job.id);
      this.jobs = [event.job, ...others].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 50);
      if (event.job.state === 'failed') this.error = `${event.job.kind} failed: ${event.job.error}`;
    } else {
      for (const what of event.what) this.revision[what]++;
      void this.refreshStatus();
    }
  }
}

function withRevision(url: string, revision: number): string {
  return revision === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}rev=${revision}`;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
