import type { FarpointEvent } from '../../shared/contract';
import type { JobInfo, LatentMap } from '../../shared/domain';
import { embeddingFingerprint } from '../duplicates/graph-store';
import { FarpointError } from '../errors';
import type { Db } from '../project/database';
import { currentModelId } from '../project/settings';
import type { Session } from '../services/session';
import { mapOf } from './latent-map';
import { loadProjection, type Projection } from './latent-map-store';

/** How long a map request waits for a running map job before answering 'computing' (it never blocks the thread meanwhile). */
const WAIT_FOR_JOB_MS = 10_000;

interface Known {
  db: Db;
  modelId: number;
  projection: Projection | null;
  fresh: boolean;
}

const services = new WeakMap<Session, LatentMapService>();

/**
 * Answers map requests on the thread that serves every request, so it never
 * computes: it reads the projection the map job stored, with the samples'
 * current status. It starts that job when an embedding ends and when the
 * stored projection is missing or stale, and a request waits for it (without
 * blocking) for a few seconds before answering 'computing'.
 * The projection and whether it is fresh are kept in memory until an event
 * says the embeddings or the current model changed: checking freshness scans
 * every embedding of the model, too slow to repeat on each request.
 */
export class LatentMapService {
  private known: Known | null = null;
  /** Map job per model while it is queued or running. */
  private readonly running = new Map<number, string>();

  /** One per session: it follows the session's job events. */
  static for(session: Session): LatentMapService {
    let service = services.get(session);
    if (!service) {
      service = new LatentMapService(session);
      services.set(session, service);
    }
    return service;
  }

  private constructor(private readonly session: Session) {
    session.events.subscribe((event) => this.onEvent(event));
  }

  async get(): Promise<LatentMap> {
    const db = this.session.project.db;
    const modelId = currentModelId(db);
    if (modelId === null) return mapOf(db, null, null, null);
    const known = this.knownFor(db, modelId);
    if (known.fresh) return mapOf(db, modelId, known.projection, null);
    const job = this.ensureJob(modelId);
    const finished = await this.waitBriefly(job);
    if (finished?.state === 'failed') throw new FarpointError(`the latent map could not be computed: ${finished.error ?? 'unknown error'}`, 500);
    if (finished?.state === 'done') {
      const after = this.knownFor(db, modelId);
      if (after.fresh) return mapOf(db, modelId, after.projection, null);
    }
    // Still computing (a long job runs ahead of it), or the embeddings changed again meanwhile.
    return mapOf(db, modelId, this.knownFor(db, modelId).projection, this.ensureJob(modelId));
  }

  private knownFor(db: Db, modelId: number): Known {
    if (this.known && this.known.db === db && this.known.modelId === modelId) return this.known;
    const projection = loadProjection(db, modelId);
    this.known = { db, modelId, projection, fresh: projection !== null && projection.fingerprint === embeddingFingerprint(db, modelId) };
    return this.known;
  }

  private ensureJob(modelId: number): string {
    const id = this.running.get(modelId);
    if (id !== undefined) return id;
    const job = this.session.startJob('map', { modelId });
    this.running.set(modelId, job.id);
    return job.id;
  }

  private async waitBriefly(id: string): Promise<JobInfo | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), WAIT_FOR_JOB_MS);
    });
    try {
      return await Promise.race([this.session.jobs.waitFor(id), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private onEvent(event: FarpointEvent): void {
    if (event.type === 'projectChanged') {
      if (event.what.some((w) => w === 'embeddings' || w === 'models' || w === 'project')) this.known = null;
      if (event.what.includes('project')) this.running.clear();
      return;
    }
    const { job } = event;
    if (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled') return;
    if (job.kind === 'map') {
      for (const [model, id] of this.running) if (id === job.id) this.running.delete(model);
      if (job.state === 'done') this.known = null;
    } else if ((job.kind === 'embed' || job.kind === 'train') && job.state === 'done') {
      // New vectors: project them now, so the first map request after an embedding finds the map ready.
      this.known = null;
      this.refreshAfterEmbedding(job.kind === 'embed');
    }
  }

  private refreshAfterEmbedding(vectorsChanged: boolean): void {
    if (!this.session.hasProject) return;
    const db = this.session.project.db;
    const modelId = currentModelId(db);
    if (modelId === null) return;
    // Re-embedding the same samples keeps the fingerprint, so after an embedding the projection is redone regardless.
    if (vectorsChanged || !this.knownFor(db, modelId).fresh) {
      if (vectorsChanged) this.known = { ...this.knownFor(db, modelId), fresh: false };
      this.ensureJob(modelId);
    }
  }
}
