import { applySavedAnnotator } from './annotator';
import type { ProjectChange } from '../../shared/contract';
import type { JobInfo, JobKind } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import type { JobParams } from '../core/job-types';
import type { ComputeChannelFactory } from './jobs/compute-channel';
import { JobManager } from './jobs/job-manager';
import { Project } from '../store/project';
import { EventBus } from './event-bus';
import { rememberProject } from './recent-projects';
import { hasStaleDicomThumbnails } from '../store/dicom-thumbnails';
import type { DuplicateIndexSlot } from '../stages/duplicates/duplicate-index';
import type { SelectionService } from '../stages/select/selection-service';

/** What the app keeps in memory for the open project, one typed field per service; a fresh object when another project opens. */
export interface ProjectServices extends DuplicateIndexSlot {
  /** The queue's selection service, created on first use (handlers/selection-handlers.ts). */
  selection: SelectionService | null;
}

function noServices(): ProjectServices {
  return { selection: null, duplicateIndex: null };
}

/**
 * The back end's state for one front door: the open project, its jobs and
 * the event stream. Area services hang off it; they hold no state of their
 * own that could disagree with the project file.
 */
export class Session {
  readonly events = new EventBus();
  readonly jobs: JobManager;
  private current: Project | null = null;
  private projectServices: ProjectServices = noServices();

  /**
   * `rememberProjects` false: opening a project leaves the app's list of
   * recent projects alone (the CLI: a script touching many files is not the
   * user opening them).
   */
  constructor(
    channelFactory: ComputeChannelFactory,
    private readonly options: { rememberProjects?: boolean } = {},
  ) {
    this.jobs = new JobManager(this.events, channelFactory);
  }

  get project(): Project {
    if (!this.current) throw new FarpointError('no project is open', 409);
    return this.current;
  }

  /** The open project's in-memory services (queue order, duplicate index); replaced when the project changes. */
  get services(): ProjectServices {
    return this.projectServices;
  }

  get hasProject(): boolean {
    return this.current !== null;
  }

  open(file: string, options: { create?: boolean } = {}): Project {
    const project = options.create ? Project.create(file) : Project.open(file);
    if (!options.create) project.checkOnOpen();
    this.current?.close();
    this.current = project;
    applySavedAnnotator(project);
    this.projectServices = noServices();
    if (this.options.rememberProjects !== false) rememberProject(project.path, project.name);
    this.changed(['project']);
    try {
      // Thumbnails left stale (a re-render interrupted by closing the app, or made before windows were recorded) are rendered again.
      if (hasStaleDicomThumbnails(project.db)) this.startJob('thumbnails', {});
    } catch {
      // A project too damaged to count its thumbnails still opens; its banner says what to do.
    }
    return project;
  }

  startJob<K extends JobKind>(kind: K, params: JobParams[K]): JobInfo {
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
