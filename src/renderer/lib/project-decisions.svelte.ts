import { AnnotationSession, type Decision, type SessionApi } from './annotation-session';

/**
 * The open project's history of decisions since it was opened in this
 * window: one undo/redo history that Annotate and Duplicates share, so an
 * undo in either takes back the latest decision made in both. Another
 * project gets a history of its own; a failed status read (no path for a
 * moment) keeps the current one.
 */
export class ProjectDecisions {
  /** Bumped on every change of the history, so what reads it redraws. */
  version = $state(0);
  #session: AnnotationSession;
  #projectPath: string | null = null;

  constructor(private readonly api: SessionApi) {
    this.#session = this.fresh();
  }

  /** The session of the open project; reading it makes a `$derived` follow its changes. */
  get session(): AnnotationSession {
    void this.version;
    return this.#session;
  }

  /** What the views draw of the history, read afresh on every change (the session object itself stays the same). */
  get snapshot(): { recent: Decision[]; labels: number; canUndo: boolean; canRedo: boolean; nextRedo: Decision | null } {
    void this.version;
    const s = this.#session;
    return { recent: s.decisions.slice(-8).reverse(), labels: s.labels, canUndo: s.canUndo, canRedo: s.canRedo, nextRedo: s.nextRedo };
  }

  /** Starts a new history when another project is open. */
  follow(projectPath: string | null): void {
    if (projectPath === null || projectPath === this.#projectPath) return;
    const first = this.#projectPath === null;
    this.#projectPath = projectPath;
    // The first project of the window keeps the (empty) history made before its status arrived.
    if (!first) this.#session = this.fresh();
    this.version++;
  }

  private fresh(): AnnotationSession {
    return new AnnotationSession(this.api, () => this.version++);
  }
}
