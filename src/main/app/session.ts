import type { ProjectChange } from '../../shared/contract';
import type { JobInfo, JobKind } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import type { ComputeChannelFactory } from './jobs/compute-channel';
import { JobManager } from './jobs/job-manager';
import { Project } from '../store/project';
import { EventBus } from './event-bus';
import { rememberProject } from './recent-projects';

/**
 * The back end's state for one front door: the open project, its jobs and
 * the event stream. Area services hang off it; they hold no state of their
 * own that could disagree with the project file.
 */
export class Session {
  readonly events = new EventBus();
  readonly jobs: JobManager;
  private current: Project | null = null;
  /** Per-project caches that areas keep in memory (queue order, kNN graph); dropped when the project changes. */
  readonly caches = new Map<string, unknown>();

  constructor(channelFactory: ComputeChannelFactory) {
    this.jobs = new JobManager(this.events, channelFactory);
  }

  get project(): Project {
    if (!this.current) throw new FarpointError('no project is open', 409);
    return this.current;
  }

  get hasProject(): boolean {
    return this.current !== null;
  }

  open(file: string, options: { create?: boolean } = {}): Project {
    const project = options.create ? Project.create(file) : Project.open(file);
    if (!options.create) project.checkOnOpen();
    this.current?.close();
    this.current = project;
    this.caches.clear();
    rememberProject(project.path, project.name);
    this.changed(['project']);
    return project;
  }

  startJob(kind: JobKind, params: unknown): JobInfo {
    return this.jobs.start(kind, params, this.project.path);
  }

  /** Tells every front end what to refresh, and drops caches that depend on it. */
  changed(what: ProjectChange[]): void {
    this.events.emit({ type: 'projectChanged', what });
  }

  async close(): Promise<void> {
    await this.jobs.close();
    this.current?.close();
    this.current = null;
  }
}
