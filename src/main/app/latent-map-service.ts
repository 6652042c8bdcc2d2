import type { FarpointEvent } from '../../shared/contract';
import type { JobInfo, LatentMap, LatentMapPage } from '../../shared/domain';
import { FarpointError } from '../core/errors';
import type { Db } from '../store/database';
import { embeddedIdSlice, maxEmbeddedSampleId } from '../store/embedding-store';
import { currentModelId } from '../store/settings';
import type { Session } from './session';
import { mapOf, mapPageOf } from '../stages/map/latent-map';
import { loadProjection, type Projection } from '../store/latent-map-store';

/** How long a map request waits for a running map job before answering 'computing' (it never blocks the thread meanwhile). */
const WAIT_FOR_JOB_MS = 10_000;

interface Known {
  db: Db;
  modelId: number;
  projection: Projection | null;
  fresh: boolean;
}

/** Sample ids per slice of the freshness check: a few milliseconds of work each. */
const FINGERPRINT_SLICE = 10_000;

/**
 * embeddingFingerprint (count, sum and max of the embedded sample ids), in
 * slices of the id range with the event loop free between them: in one query
 * it scans every vector of the model, which on a large project and a loaded
 * machine stalls every other request for a noticeable time.
 */
async function fingerprintInSlices(db: Db, modelId: number): Promise<string> {
  const top = maxEmbeddedSampleId(db, modelId);
  const slice = embeddedIdSlice(db);
  let count = 0;
  let total = 0;
  for (let from = 0; from < top; from += FINGERPRINT_SLICE) {
    const row = slice(modelId, from, from + FINGERPRINT_SLICE);
    count += row.n;
    total += row.total;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return `${count}:${total}:${top}`;
}

/**
 * Answers map requests on the thread that serves every request, so it never
 * computes: it reads the projection the map job stored, with the samples'
 * current status. It starts that job when an embedding ends and when the
 * stored projection is missing or stale, and a request waits for it (without
 * blocking) for a few seconds before answering 'computing'.
 * The projection and whether it is fresh are kept in memory until an event
 * says the embeddings or the current model changed: checking freshness scans
 * every embedding of the model (in slices, see fingerprintInSlices), too slow
 * to repeat on each request.
 */
export class LatentMapService {
  private known: Known | null = null;
  private checking: { db: Db; modelId: number; result: Promise<Known> } | null = null;
  /** Map job per model while it is queued or running. */
  private readonly running = new Map<number, string>();

  /**
   * One per session (the session's handlers make it, once): it follows the
   * session's job events from the start, whichever project is open, so an
   * embedding's end starts the map job before any map request.
   */
  constructor(private readonly session: Session) {
    session.events.subscribe((event) => this.onEvent(event));
  }

  async get(): Promise<LatentMap> {
    const { db, modelId, projection, job } = await this.current();
    return mapOf(db, modelId, projection, job);
  }

  /** One part of the map (rows part, part + parts, …): see getLatentMapPage. */
  async page(part: number, parts: number): Promise<LatentMapPage> {
    const { db, modelId, projection, job } = await this.current();
    return mapPageOf(db, modelId, projection, job, part, parts);
  }

  /** The projection to serve and the map job still computing a fresher one (null when it is fresh). */
  private async current(): Promise<{ db: Db; modelId: number | null; projection: Projection | null; job: string | null }> {
    const db = this.session.project.db;
    const modelId = currentModelId(db);
    if (modelId === null) return { db, modelId, projection: null, job: null };
    const known = await this.knownFor(db, modelId);
    // A map job under way means new vectors (a re-embedding keeps the fingerprint): wait for it rather than serve the old ones as ready.
    if (known.fresh && !this.running.has(modelId)) return { db, modelId, projection: known.projection, job: null };
    const job = this.ensureJob(modelId);
    const finished = await this.waitBriefly(job);
    if (finished?.state === 'failed') throw new FarpointError(`the latent map could not be computed: ${finished.error ?? 'unknown error'}`, 500);
    if (finished?.state === 'done') {
      const after = await this.knownFor(db, modelId);
      if (after.fresh && !this.running.has(modelId)) return { db, modelId, projection: after.projection, job: null };
    }
    // Still computing (a long job runs ahead of it), or the embeddings changed again meanwhile.
    return { db, modelId, projection: (await this.knownFor(db, modelId)).projection, job: this.ensureJob(modelId) };
  }

  /** The stored projection and whether it is fresh, from memory, else read and checked (once, shared by concurrent requests). */
  private async knownFor(db: Db, modelId: number): Promise<Known> {
    if (this.known && this.known.db === db && this.known.modelId === modelId) return this.known;
    if (this.checking && this.checking.db === db && this.checking.modelId === modelId) return this.checking.result;
    const result = (async (): Promise<Known> => {
      const projection = loadProjection(db, modelId);
      const fresh = projection !== null && projection.fingerprint === (await fingerprintInSlices(db, modelId));
      return { db, modelId, projection, fresh };
    })();
    const checking = { db, modelId, result };
    this.checking = checking;
    const known = await result;
    // Kept only if no event said the embeddings changed meanwhile.
    if (this.checking === checking) {
      this.known = known;
      this.checking = null;
    }
    return known;
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
      if (event.what.some((w) => w === 'embeddings' || w === 'models' || w === 'project')) this.forget();
      if (event.what.includes('project')) this.running.clear();
      return;
    }
    const { job } = event;
    if (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled') return;
    if (job.kind === 'map') {
      for (const [model, id] of this.running) if (id === job.id) this.running.delete(model);
      if (job.state === 'done') this.forget();
    } else if ((job.kind === 'embed' || job.kind === 'train') && job.state === 'done') {
      // New vectors: project them now, so the first map request after an embedding finds the map ready.
      this.forget();
      // Best effort: if it fails (project closed meanwhile), the next map request starts the job itself.
      this.refreshAfterEmbedding(job.kind === 'embed').catch(() => undefined);
    }
  }

  private forget(): void {
    this.known = null;
    this.checking = null;
  }

  private async refreshAfterEmbedding(vectorsChanged: boolean): Promise<void> {
    if (!this.session.hasProject) return;
    const db = this.session.project.db;
    const modelId = currentModelId(db);
    if (modelId === null) return;
    // Re-embedding the same samples keeps the fingerprint, so after an embedding the projection is redone regardless.
    if (vectorsChanged || !(await this.knownFor(db, modelId)).fresh) this.ensureJob(modelId);
  }
}
