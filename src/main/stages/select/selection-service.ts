import type { CoverageCurve, MoveToFrontResult, QueueEntry, QueuePage, QueueStrategy } from '../../../shared/domain';
import { isStrategyName } from '../../../shared/strategy-names';
import { FarpointError } from '../../core/errors';
import { JobCancelled } from '../../core/job-types';
import type { Db } from '../../store/database';
import { loadSelectionMatrix, rowOfSample, selectionMatrixInSlices, type SelectionMatrix, type SelectionMatrixLoader } from './embedding-matrix';
import { allSampleIds, allSampleIdsInSlices, annotationsSince, embeddedOutOfQueue, excludedSampleIds, labeledSampleIds, queueEntryInfo, readStamp, type ProjectStamp } from '../../store/queue-inputs';
import { countActiveSamples, requireSamples } from '../../store/samples';
import { readFront, writeFront, frontRevision } from '../../store/queue-front-store';
import { changeCounter } from '../../store/change-counter';
import { loadLatestQueueOrder, loadQueueOrder, saveQueueOrder, type StoredOrderStrategy, type StoredQueueOrder } from '../../store/queue-order-store';
import { labeledHead } from '../../core/selection/labeled-head';
import { CoverageCurves } from './coverage-curves';
import { insertionsPerStep } from './server-steps';
import { TYPICALITY_EXACT_LIMIT } from '../../core/strategies/typicality';
import { isCover, QueueState, type CoverStrategy, type QueueRow } from '../../core/selection/queue-state';
import { seededPermutation } from '../../core/selection/random-order';
import { readTypiclustBatch, writeTypiclustBatch } from '../../store/typiclust-batch-store';
import type { TypiclustConfig } from '../../core/selection/typiclust-order';


export interface SelectionOptions {
  /** TypiClust batch size for this service instead of the project's (a CLI preview: its batches are not stored). */
  typiclustBatch?: number;
  /** Largest pool whose coverage balls (probcover, auto) pageWithin builds on the caller's thread (default COVER_MAIN_THREAD_POOL). */
  coverMainThreadPool?: number;
  /**
   * Largest pool whose typiclust and fps-dense orders are computed on the caller's thread; larger pools read
   * them from the queue job's stored order. Default: every pool (the CLI and the queue job itself); the server
   * passes DENSITY_MAIN_THREAD_POOL.
   */
  densityMainThreadPool?: number;
  /**
   * Pools with more embedded samples than this are loaded and built a slice at a time, yielding to other requests
   * between slices (the server passes SLICE_BUILD_POOL); default: every pool at once, on the caller's thread.
   */
  sliceBuildPool?: number;
  /** Called when a build in slices has ended (the server then tells the front ends to ask for the queue again). */
  onBuilt?: () => void;
}

/** Pools larger than this are built in slices on the server (its option sliceBuildPool). */
export const SLICE_BUILD_POOL = 10_000;

/** Rows of the matrix one slice of a build in slices reads. */
const MATRIX_SLICE_ROWS = 4_000;
/** Sample ids read per step while a large pool's queue is built (the seeded random order needs them all). */
const ID_SLICE_ROWS = 20_000;

/** The strategies built on typicality (k-nearest-neighbour density): typiclust and fps-dense. */
export type DensityStrategy = 'typiclust' | 'fps-dense';

export function isDensity(strategy: QueueStrategy): strategy is DensityStrategy {
  return strategy === 'typiclust' || strategy === 'fps-dense';
}

/**
 * Pools up to this size get their typicality (exact, brute force) and hence
 * their typiclust and fps-dense orders on the request's thread; larger pools
 * are served only from the order the queue job computes in the compute
 * worker (typicality from the HNSW graph, k-means, FPS) and stores.
 */
export const DENSITY_MAIN_THREAD_POOL = TYPICALITY_EXACT_LIMIT;

/**
 * Pools up to this size get their coverage balls (O(n²) distances) built on
 * the request's thread; larger ones from the queue job in the compute worker.
 */
export const COVER_MAIN_THREAD_POOL = 3_000;


/** Entries per chunk of the queue job (each stored when done); the first chunk is small so the head is ready first. */
const JOB_CHUNKS = [100, 2_000, 10_000];

/** Entries the queue job computes between two progress reports (and cancel checks) within a chunk. */
const STEP_ENTRIES = 500;

export interface FullOrderProgress {
  /** Entries computed. */
  done: number;
  /** The depth computed toward now: the rank the page that asked waits for while short of it, then the job's goal. */
  total: number;
  /** Entries of the order stored in the project so far (a page within them can be served now). */
  stored: number;
}

export interface FullOrderSummary {
  modelId: number;
  total: number;
  /** Entries computed and stored (fewer than total when asked for a head only, or stale). */
  computed: number;
  /** Whether it stopped because the project changed meanwhile (what it stored no longer applies). */
  stale: boolean;
  seconds: number;
  stored: boolean;
  /** The first entries' sample ids (the head, served first). */
  head: number[];
  /** FPS entries this service already held when the job began (a kept service continuing an earlier job's order); 0 when it started afresh. */
  continuedFrom: number;
}

type OrderStampParts = Pick<ProjectStamp, 'modelId' | 'embeddings' | 'lastAnnotation' | 'lastStatusChange' | 'samples' | 'front'>;

function orderStampOf(stamp: OrderStampParts): string {
  const { modelId, embeddings, lastAnnotation, lastStatusChange, samples, front } = stamp;
  return JSON.stringify({ modelId, embeddings, lastAnnotation, lastStatusChange, samples, front });
}

/**
 * Labels given since a stored fps order looked at no further (more: the
 * queue job computes the order again): reusing it reads only these, so
 * serving it costs the same whatever the pool's size.
 */
const REUSE_LABELS = 2_000;

/** How deep a label's queue position is looked up (a sample opened from further down stores none). */
const POSITION_SEARCH = 5000;

/**
 * The labeling queue of one open project, kept in memory between requests.
 * Every request first compares a cheap stamp of the project (see
 * store/queue-inputs.ts) with the one its state was built from and applies
 * only the differences: new or removed labels, exclusions and restores go to
 * QueueState's incremental updates; a new model, new embeddings or a new
 * random seed reload. Changes made by other processes (the CLI) are picked up
 * the same way.
 */
export class SelectionService {
  private matrix: SelectionMatrix | null = null;
  private state: QueueState | null = null;
  private stamp: ProjectStamp | null = null;
  /** A large pool's build in slices while it runs (see buildInSlices). */
  private building: Promise<void> | null = null;
  /** The project file's change counter when `stamp` was read (store/change-counter.ts). */
  private counter = '';
  private labeled = new Set<number>();
  private excluded = new Set<number>();
  private readonly coverageCurves = new CoverageCurves();
  private unembedded = 0;

  constructor(
    private db: Db,
    private readonly loader: SelectionMatrixLoader = loadSelectionMatrix,
    private readonly options: SelectionOptions = {},
  ) {
    const batch = options.typiclustBatch;
    if (batch !== undefined && (!Number.isSafeInteger(batch) || batch < 1)) throw new FarpointError(`typiclust batch size must be a positive integer, got ${batch}`);
  }

  /**
   * Moves this service to another connection to the same project file: the
   * compute worker opens the project once per job but keeps the service
   * between jobs, so that a deeper queue job continues the order the last one
   * computed instead of starting again. The next sync reads the stamp anew
   * (the change counter is per connection) and applies what changed meanwhile.
   */
  reconnect(db: Db): void {
    if (this.building) throw new Error('a service still building its queue in slices cannot change its connection');
    this.db = db;
    this.counter = '';
  }

  /** The project's strategy when the caller names none. */
  strategyOf(requested?: QueueStrategy): QueueStrategy {
    if (requested) return requested;
    this.sync();
    const setting = this.stamp!.strategy;
    return isStrategyName(setting) ? setting : 'fps';
  }

  /**
   * A page of the queue computing at most `pickBudget` new furthest-point
   * picks here (the caller's thread). A page reaching further — the first
   * page of a large project, or a jump deep into the queue — gets what is
   * computed so far and `pending`: the caller has the queue job compute the
   * order in the compute worker (stored head first, then longer prefixes),
   * which this service adopts on a later request. Only the fps order of a
   * queue without session skips or a front goes that way (the job cannot see
   * skips, and orders the front itself); everything else computes here.
   */
  pageWithin(requested: QueueStrategy | undefined, offset: number, limit: number, pickBudget: number): { page: QueuePage; pending: boolean } {
    const strategy = this.strategyOf(requested);
    this.sync();
    if (this.building) {
      const stored = this.storedPageWhileBuilding(strategy, offset, limit);
      return stored ? { page: stored, pending: false } : { page: this.buildingPage(strategy, offset), pending: true };
    }
    const state = this.state;
    if (state && isDensity(strategy) && this.densityOffThread()) return this.densityPage(strategy, offset, limit);
    if (state && isCover(strategy) && state.canAdopt) return this.coverPageWithin(strategy, offset, limit);
    if (strategy !== 'fps' || !state || !state.canAdopt) return { page: this.page(strategy, offset, limit), pending: false };
    this.adoptStored(offset + limit);
    if (state.fpsPicksNeeded(offset, limit) <= pickBudget) return { page: this.page(strategy, offset, limit), pending: false };
    const ready = Math.max(0, Math.min(limit, state.fpsAvailable - offset));
    const page: QueuePage =
      ready > 0
        ? this.page(strategy, offset, ready)
        : { strategy, modelId: this.matrix!.modelId, total: state.total, offset, entries: [], unembedded: this.unembedded, skipped: state.skippedCount, front: state.frontRows.length };
    return { page, pending: true };
  }

  /**
   * A page of a coverage order: computed here while the pool is small or its
   * balls are already built here; otherwise served from the head the queue
   * job stored for exactly this state, `pending` when that head is missing
   * or too short (the caller starts the job).
   */
  private coverPageWithin(strategy: CoverStrategy, offset: number, limit: number): { page: QueuePage; pending: boolean } {
    const state = this.state!;
    const order = state.coverOrder(strategy);
    const small = this.matrix!.ids.length <= (this.options.coverMainThreadPool ?? COVER_MAIN_THREAD_POOL);
    if (small || order.poolReady) return { page: this.page(strategy, offset, limit), pending: false };
    this.adoptStoredCover(strategy);
    const wanted = Math.min(offset + limit, state.total) - state.frontRows.length;
    if (order.available >= wanted) return { page: this.page(strategy, offset, limit), pending: false };
    const ready = Math.max(0, Math.min(limit, order.available - offset));
    const page: QueuePage =
      ready > 0
        ? this.page(strategy, offset, ready)
        : { strategy, modelId: this.matrix!.modelId, total: state.total, offset, entries: [], unembedded: this.unembedded, skipped: state.skippedCount, front: state.frontRows.length };
    return { page, pending: true };
  }

  /** Whether this pool's typiclust and fps-dense orders come from the queue job only. */
  private densityOffThread(): boolean {
    return (this.matrix?.ids.length ?? 0) > (this.options.densityMainThreadPool ?? Infinity);
  }

  /** Whether a typiclust or fps-dense order of the project as it is now would be computed off the caller's thread (read before any page). */
  densityOffThreadNow(): boolean {
    this.sync();
    return (this.matrix?.ids.length ?? this.stamp?.embeddings ?? 0) > (this.options.densityMainThreadPool ?? Infinity);
  }

  /**
   * A page of a typiclust or fps-dense order of a large pool, never computed
   * here: the order the queue job stored for exactly this state of the
   * project; failing that, the last one it stored for this model, less the
   * samples labeled, skipped or excluded since, with `pending` (the caller
   * starts the job); failing that, an empty page with `pending`.
   */
  private densityPage(strategy: DensityStrategy, offset: number, limit: number): { page: QueuePage; pending: boolean } {
    const state = this.state!;
    const matrix = this.matrix!;
    const exact = loadQueueOrder(this.db, strategy, this.orderStamp());
    const stored = exact ?? loadLatestQueueOrder(this.db, strategy, matrix.modelId);
    const rows: QueueRow[] = [];
    if (stored) {
      for (let k = 0; k < stored.sampleIds.length && rows.length < offset + limit; k++) {
        const row = rowOfSample(matrix.ids, stored.sampleIds[k]!);
        if (row < 0 || !state.inPool(row) || state.isLabeled(row) || state.isSkipped(row)) continue;
        rows.push({ row, novelty: stored.novelty[k]!, skipped: false });
      }
    }
    const page: QueuePage = {
      strategy,
      modelId: matrix.modelId,
      total: state.total,
      offset,
      entries: this.describe(rows.slice(offset, offset + limit).map((r) => this.idEntry(r)), offset),
      unembedded: this.unembedded,
      skipped: state.skippedCount,
      front: state.frontRows.length,
    };
    return { page, pending: !exact };
  }

  private adoptStoredCover(strategy: CoverStrategy): void {
    const state = this.state;
    if (!state || !state.canAdopt) return;
    const stored = loadQueueOrder(this.db, strategy, this.orderStamp());
    if (stored) state.coverOrder(strategy).adopt(Array.from(stored.sampleIds, (id) => rowOfSample(this.matrix!.ids, id)), stored.novelty);
  }

  /** FPS picks whose cost stays near `evaluations` distance evaluations at this pool size (a pick costs up to one per sample). */
  picksFor(evaluations: number): number {
    this.sync();
    return Math.max(1, Math.floor(evaluations / Math.max(1, this.matrix?.ids.length ?? 1)));
  }

  /** Adopts the stored order (or its stored head) when it was computed for exactly this state and reaches further. */
  private adoptStored(want: number): void {
    const state = this.state;
    if (!state || !state.canAdopt || want <= state.computedFps) return;
    const stored = this.storedOrder('fps');
    if (stored) state.adoptFps(Array.from(stored.sampleIds, (id) => rowOfSample(this.matrix!.ids, id)), stored.novelty);
  }

  page(requested: QueueStrategy | undefined, offset: number, limit: number): QueuePage {
    const strategy = this.strategyOf(requested);
    this.sync();
    if (this.building) return this.buildingPage(strategy, offset);
    const unembedded = this.unembedded;
    const skipped = this.state?.skippedCount ?? 0;
    if (!this.state) {
      if (strategy !== 'random') throw this.noEmbeddings();
      const ids = this.randomIdsWithoutEmbeddings();
      const entries = this.describe(ids.slice(offset, offset + limit).map((id) => ({ id, novelty: null, skipped: false })), offset);
      return { strategy, modelId: null, total: ids.length, offset, entries, unembedded, skipped: 0, front: 0 };
    }
    if (isDensity(strategy) && this.densityOffThread()) return this.densityPage(strategy, offset, limit).page;
    if (strategy === 'fps') this.adoptStored(offset + limit);
    if (isCover(strategy) && !this.state.coverOrder(strategy).poolReady) this.adoptStoredCover(strategy);
    const rows = this.state.entries(strategy, offset, limit);
    return {
      strategy,
      modelId: this.matrix!.modelId,
      total: this.state.total,
      offset,
      entries: this.describe(rows.map((r) => this.idEntry(r)), offset),
      unembedded,
      skipped,
      front: this.state.frontRows.length,
    };
  }

  /**
   * While a large pool's queue is built in slices (a reopened project): the
   * page from the order a queue job stored for exactly this state, if it
   * reaches that far, so a reopened project shows its queue at once. No
   * front (the live state orders it) and no session skips exist yet.
   */
  private storedPageWhileBuilding(strategy: QueueStrategy, offset: number, limit: number): QueuePage | null {
    if (strategy === 'random' || readFront(this.db).length > 0) return null;
    const stored = this.storedOrder(strategy);
    if (!stored) return null;
    const page = this.buildingPage(strategy, offset);
    // A whole order serves the queue's last page too, shorter than the limit.
    if (stored.sampleIds.length < Math.min(offset + limit, page.total)) return null;
    const items = Array.from(stored.sampleIds.subarray(offset, offset + limit), (id, k) => {
      const novelty = stored.novelty[offset + k]!;
      return { id, novelty: Number.isFinite(novelty) ? novelty : null, skipped: false };
    });
    return { ...page, entries: this.describe(items, offset) };
  }

  private buildingPage(strategy: QueueStrategy, offset: number): QueuePage {
    const stamp = this.stamp!;
    // The queue's length as the built queue will count it (its embedded samples neither labeled nor excluded), so a
    // page served meanwhile does not promise ranks the queue does not have.
    const total = stamp.modelId === null ? 0 : stamp.embeddings - embeddedOutOfQueue(this.db, stamp.modelId);
    return { strategy, modelId: stamp.modelId, total, offset, entries: [], unembedded: this.unembedded, skipped: 0, front: 0 };
  }

  next(requested?: QueueStrategy): QueueEntry | null {
    return this.page(requested, 0, 1).entries[0] ?? null;
  }

  skip(sampleId: number, requested?: QueueStrategy): QueueEntry | null {
    this.sync();
    if (!this.state) throw this.noEmbeddings();
    const row = this.rowOf(sampleId);
    if (!this.state.inPool(row)) throw new FarpointError(`sample ${sampleId} is excluded; restore it before skipping`, 409);
    if (this.state.isLabeled(row)) throw new FarpointError(`sample ${sampleId} is already labeled; only queued samples can be skipped`, 409);
    this.state.skip(row);
    return this.next(requested);
  }

  /**
   * A sample's 1-based position in the current queue, looking no further
   * than the part computable within `pickBudget` picks (null: not there, or
   * no queue without embeddings).
   */
  positionOf(sampleId: number, requested: QueueStrategy | undefined, pickBudget: number): number | null {
    this.sync();
    if (!this.state || !this.matrix || rowOfSample(this.matrix.ids, sampleId) < 0) return null;
    // Nearly always the head (labels made in queue order): a short page first.
    for (const [offset, limit] of [[0, 16], [16, POSITION_SEARCH - 16]] as const) {
      const { page } = this.pageWithin(requested, offset, limit, pickBudget);
      const at = page.entries.findIndex((e) => e.sampleId === sampleId);
      if (at >= 0) return offset + at + 1;
      if (page.entries.length < limit) return null;
    }
    return null;
  }

  /**
   * Puts samples at the head of the queue, before every strategy's order (the
   * newest request first; within it, furthest-point order seeded by the
   * labeled samples: see QueueState). Stored in the project, so it survives a
   * restart; each sample leaves the front when it is labeled, skipped or
   * excluded. Unknown ids are refused (404) before anything is stored.
   */
  moveToFront(sampleIds: readonly number[]): MoveToFrontResult {
    this.sync();
    if (!this.state || !this.matrix) throw this.noEmbeddings();
    requireSamples(this.db, sampleIds);
    const state = this.state;
    const movable: number[] = [];
    const seen = new Set<number>();
    for (const id of sampleIds) {
      if (seen.has(id)) continue;
      seen.add(id);
      const row = rowOfSample(this.matrix.ids, id);
      if (row >= 0 && state.inPool(row) && !state.isLabeled(row) && !state.isSkipped(row)) movable.push(id);
    }
    if (movable.length > 0) {
      const taken = new Set(movable);
      writeFront(this.db, [movable, ...readFront(this.db).map((g) => g.filter((id) => !taken.has(id)))]);
      this.sync();
    }
    return { moved: movable.length, ignored: sampleIds.length - movable.length, front: this.state?.frontRows.length ?? 0 };
  }

  /** Empties the front of the queue: every strategy's own order applies again. */
  clearFront(): { cleared: number } {
    this.sync();
    const cleared = this.state?.frontRows.length ?? 0;
    if (readFront(this.db).length > 0) {
      writeFront(this.db, []);
      this.sync();
    }
    return { cleared };
  }

  /** Sample ids skipped in this session and still queued (review mode's 'skipped' filter). */
  skippedIds(): number[] {
    this.sync();
    if (!this.state || !this.matrix) return [];
    const ids = this.matrix.ids;
    return this.state.skippedRowList.map((r) => ids[r]!);
  }

  /** Brings these skipped samples back to their place in the queue; returns the ids that were skipped. */
  unskip(sampleIds: readonly number[]): number[] {
    this.sync();
    if (!this.state || !this.matrix) return [];
    const ids = this.matrix.ids;
    const rows = sampleIds.map((id) => rowOfSample(ids, id)).filter((r) => r >= 0);
    return this.state.unskip(rows).map((r) => ids[r]!);
  }

  clearSkips(): { cleared: number } {
    this.sync();
    const cleared = this.state?.skippedCount ?? 0;
    this.state?.clearSkips();
    return { cleared };
  }

  /** Rank (1-based) a sample has in the queue right now, as far as it is computed; null otherwise. */
  rankOf(sampleId: number, requested?: QueueStrategy): number | null {
    const strategy = this.strategyOf(requested);
    this.sync();
    if (!this.state) {
      const at = strategy === 'random' ? this.randomIdsWithoutEmbeddings().indexOf(sampleId) : -1;
      return at >= 0 ? at + 1 : null;
    }
    const row = rowOfSample(this.matrix!.ids, sampleId);
    if (row < 0) return null;
    const at = this.state.knownPosition(strategy, row);
    return at === null ? null : at + 1;
  }

  /** The covering radius after each label so far and projected along the fps queue (see CoverageCurves). */
  async coverage(): Promise<CoverageCurve> {
    this.sync();
    if (!this.state || !this.matrix) return { modelId: null, pool: 0, points: [], current: null, projected: [] };
    const inSlices = this.matrix.ids.length > (this.options.sliceBuildPool ?? Infinity);
    return this.coverageCurves.curve({ db: this.db, matrix: this.matrix, state: this.state, stamp: this.stamp!, stampNow: () => this.stamp, inSlices });
  }

  /**
   * Computes a strategy's order in chunks (the queue job, in the compute
   * worker), head first, up to `upTo` entries (default: the whole order),
   * storing the first `need` entries (the page that asked) as one chunk,
   * reporting progress and yielding between chunks so a cancel request is
   * seen; each longer head is stored for the live queue to adopt. It stops
   * early once the project has moved on (a label, an exclusion, new
   * embeddings: the stored order no longer applies, and the next request
   * starts a job for the new state), so a stale order never holds the
   * compute worker for minutes.
   */
  async computeFullOrder(
    progress: (p: FullOrderProgress) => void,
    isCancelled: () => boolean,
    strategy: StoredOrderStrategy = 'fps',
    upTo: number = Infinity,
    need = 0,
  ): Promise<FullOrderSummary> {
    const started = performance.now();
    this.sync();
    if (!this.state || !this.matrix) throw this.noEmbeddings();
    const stamp = this.orderStamp();
    const total = this.state.total;
    const goal = Math.min(total, upTo);
    const continuedFrom = strategy === 'fps' ? this.state.computedFps : 0;
    const rows: QueueRow[] = [];
    // An order stored already that applies to this state (a deeper page's job, or one before labels that took its
    // head) is never replaced by a shorter one: the heads this job stores on its way would cut it short.
    const kept = this.storedOrder(strategy)?.sampleIds.length ?? 0;
    const save = () => {
      const sampleIds = Int32Array.from(rows, (r) => this.matrix!.ids[r.row]!);
      const novelty = Float64Array.from(rows, (r) => r.novelty);
      const seconds = (performance.now() - started) / 1000;
      if (sampleIds.length <= kept) return { sampleIds, stored: true };
      return { sampleIds, stored: saveQueueOrder(this.db, strategy, { modelId: this.matrix!.modelId, stamp, sampleIds, novelty, seconds }) };
    };
    // The project moved on: a write since the last look (read only then) that changed what the order depends on.
    let counter = changeCounter(this.db);
    const movedOn = (): boolean => {
      const now = changeCounter(this.db);
      if (now === counter) return false;
      counter = now;
      return orderStampOf(readStamp(this.db)) !== stamp;
    };
    let stale = false;
    // Progress toward the rank a page waits for while short of it (that page shows then), then toward the goal.
    const report = (stored: number) => {
      const target = rows.length < need ? need : goal;
      progress({ done: rows.length, total: target, stored });
    };
    // A stored head reports itself as complete (done = total): progress is throttled on its way out of the
    // compute worker except when complete, and the Queue view asks for a page again on its job's progress.
    const reportStored = () => progress({ done: rows.length, total: rows.length, stored: rows.length });
    let storedSoFar = 0;
    let exhausted = false;
    for (let chunk = 0; rows.length < goal && !exhausted; chunk++) {
      // The head first; then straight to the depth the page asked for (stored as soon as it is there), then on.
      const planned = JOB_CHUNKS[Math.min(chunk, JOB_CHUNKS.length - 1)]!;
      const size = chunk > 0 && rows.length < need ? need - rows.length : planned;
      const end = Math.min(goal, rows.length + size);
      // A chunk may take minutes at a million samples: it reports and checks for a cancel every STEP_ENTRIES.
      while (rows.length < end) {
        if (isCancelled()) throw new JobCancelled();
        const before = rows.length;
        rows.push(...this.state.entries(strategy, rows.length, Math.min(end - rows.length, STEP_ENTRIES)));
        if (rows.length === before) {
          exhausted = true;
          break;
        }
        if (rows.length < end) {
          report(storedSoFar);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      // Each longer head is stored as it is ready, so the live queue serves it while the rest is computed.
      if (rows.length < goal && !exhausted) {
        save();
        storedSoFar = rows.length;
        reportStored();
      } else report(storedSoFar);
      await new Promise((resolve) => setImmediate(resolve));
      if (rows.length < goal && !exhausted && movedOn()) {
        stale = true;
        break;
      }
    }
    const { sampleIds, stored } = stale ? { sampleIds: Int32Array.from(rows, (r) => this.matrix!.ids[r.row]!), stored: true } : save();
    const seconds = (performance.now() - started) / 1000;
    return { modelId: this.matrix.modelId, total, computed: rows.length, stale, seconds, stored, head: Array.from(sampleIds.subarray(0, 20)), continuedFrom };
  }

  /**
   * The order a queue job stored for exactly this state of the project; for
   * fps also one stored before labels that took exactly its head (labeling
   * in queue order, then closing the project before a job stored the order
   * again), less that head.
   */
  private storedOrder(strategy: StoredOrderStrategy): StoredQueueOrder | null {
    const stamp = this.stamp!;
    const exact = loadQueueOrder(this.db, strategy, this.orderStamp());
    if (exact || strategy !== 'fps' || stamp.modelId === null) return exact;
    const latest = loadLatestQueueOrder(this.db, 'fps', stamp.modelId);
    if (!latest) return null;
    const storedAt = JSON.parse(latest.stamp) as OrderStampParts;
    if (storedAt.lastAnnotation >= stamp.lastAnnotation || orderStampOf({ ...storedAt, lastAnnotation: stamp.lastAnnotation }) !== this.orderStamp()) return null;
    const since = annotationsSince(this.db, storedAt.lastAnnotation, REUSE_LABELS + 1);
    const head = since.length > REUSE_LABELS ? null : labeledHead(latest.sampleIds, since);
    if (head === null) return null;
    return { ...latest, sampleIds: latest.sampleIds.subarray(head), novelty: latest.novelty.subarray(head) };
  }

  /** What a stored full order must match: the embeddings, labels and exclusions it was computed from. */
  private orderStamp(): string {
    return orderStampOf(this.stamp!);
  }

  /**
   * Resolves once the queue is built (at once, unless a large pool's build
   * in slices is running: see SelectionOptions.sliceBuildPool); rejects with
   * that build's error.
   */
  async ready(): Promise<void> {
    this.sync();
    while (this.building) {
      await this.building;
      this.sync();
    }
  }

  /** Brings the in-memory queue up to date with the project file (a build in slices brings it up to date when it ends). */
  sync(): void {
    if (this.building) return;
    // The stamp's queries scan the embeddings of the model (large at 100,000 samples); nothing written, nothing to read.
    const counter = changeCounter(this.db);
    if (this.stamp && counter === this.counter) return;
    this.counter = counter;
    const stamp = readStamp(this.db);
    const old = this.stamp;
    if (old && JSON.stringify(old) === JSON.stringify(stamp)) return;
    const reload =
      !old ||
      old.modelId !== stamp.modelId ||
      old.embeddings !== stamp.embeddings ||
      old.randomSeed !== stamp.randomSeed ||
      old.samples !== stamp.samples ||
      old.typiclustBatch !== stamp.typiclustBatch;
    this.stamp = stamp;
    if (reload && stamp.embeddings > (this.options.sliceBuildPool ?? Infinity) && this.loader === loadSelectionMatrix) {
      this.buildInSlices();
      return;
    }
    if (reload) for (let steps = this.reloadSteps(Infinity), step = steps.next(); !step.done; step = steps.next());
    else this.applyDifferences(old.front !== stamp.front);
    this.unembedded = this.countUnembedded();
  }

  /**
   * Runs reloadSteps one step per turn of the event loop: the matrix a slice
   * at a time, then the label and random orders, then the queue state. Other
   * requests meanwhile get empty pending pages (the queue job computes the
   * order in the compute worker) and ready() waits. Labels saved meanwhile
   * are applied incrementally by the first sync after it.
   */
  private buildInSlices(): void {
    this.state = null;
    this.matrix = null;
    const steps = this.reloadSteps(MATRIX_SLICE_ROWS);
    this.building = new Promise<void>((resolve, reject) => {
      const step = () => {
        try {
          if (!steps.next().done) {
            setImmediate(step);
            return;
          }
          this.unembedded = this.countUnembedded();
          this.counter = '';
          this.building = null;
          resolve();
          this.options.onBuilt?.();
        } catch (err) {
          // Tried again from the start by the next request (embeddings written meanwhile, say).
          this.state = null;
          this.matrix = null;
          this.stamp = null;
          this.building = null;
          reject(err);
        }
      };
      setImmediate(step);
    });
    // A request that is not waiting (getQueue) must not see an unhandled rejection; ready() reports it.
    this.building.catch(() => undefined);
  }

  /** Loads the matrix (`sliceRows` rows per step) and builds the queue state from the project file, yielding between steps. */
  private *reloadSteps(sliceRows: number): Generator<void, void, void> {
    this.state = null;
    this.coverageCurves.forget();
    const matrix = this.loader === loadSelectionMatrix ? yield* selectionMatrixInSlices(this.db, sliceRows) : this.loader(this.db);
    this.matrix = null;
    this.labeled = labeledSampleIds(this.db);
    this.excluded = excludedSampleIds(this.db);
    if (!matrix) return;
    yield;
    const { ids } = matrix;
    const n = ids.length;
    const inPool = new Uint8Array(n);
    const labeled = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      inPool[r] = this.excluded.has(ids[r]!) ? 0 : 1;
      labeled[r] = this.labeled.has(ids[r]!) ? 1 : 0;
    }
    const all = yield* allSampleIdsInSlices(this.db, ID_SLICE_ROWS);
    const randomOrder = yield* this.randomRows(matrix, all);
    yield;
    this.matrix = matrix;
    const state = new QueueState(matrix.kernel, {
      inPool,
      labeled,
      randomOrder,
      typiclust: this.typiclustConfig(),
      front: this.frontRows(),
      deferSettle: true,
      // A pool built in slices is a server's: no pruning tree built on its thread (the queue job computes deep orders).
      fpsTree: sliceRows < Infinity ? 'never' : 'auto',
    });
    yield* state.settleSteps(insertionsPerStep(n));
    this.state = state;
    this.pruneFront();
  }

  /** The stored front as matrix rows (ids without a vector dropped). */
  private frontRows(): number[][] {
    return readFront(this.db).map((g) => g.map((id) => rowOfSample(this.matrix!.ids, id)).filter((r) => r >= 0));
  }

  /**
   * Drops labeled and excluded samples from the stored front ("cleared as
   * they get labeled"); the live queue has already let them go, so the stamp
   * is moved on without a rebuild. A read-only file keeps the stale ids, which
   * the queue ignores.
   */
  private pruneFront(): void {
    const groups = readFront(this.db);
    if (groups.length === 0) return;
    const kept = groups.map((g) => g.filter((id) => !this.labeled.has(id) && !this.excluded.has(id)));
    if (kept.every((g, k) => g.length === groups[k]!.length)) return;
    try {
      writeFront(this.db, kept);
      this.stamp = { ...this.stamp!, front: frontRevision(this.db) };
    } catch {
      // read-only or busy: pruned next time
    }
  }

  /** TypiClust's batch size and seed, and where its current batch is kept (see typiclust-order.ts). */
  private typiclustConfig(): TypiclustConfig {
    const matrix = this.matrix!;
    const want = { modelId: matrix.modelId, batchSize: this.options.typiclustBatch ?? this.stamp!.typiclustBatch, seed: this.stamp!.randomSeed };
    // A preview with another batch size than the project's never overwrites the project's batch.
    const persist = want.batchSize === this.stamp!.typiclustBatch;
    let memory: number[] | null = null;
    return {
      batchSize: want.batchSize,
      seed: want.seed,
      // The connection is read when called: a service kept by the compute worker moves to each job's (reconnect).
      stored: () => {
        const ids = (persist ? readTypiclustBatch(this.db, want) : null) ?? memory;
        return ids ? ids.map((id) => rowOfSample(matrix.ids, id)).filter((r) => r >= 0) : null;
      },
      save: (rows) => {
        memory = rows.map((r) => matrix.ids[r]!);
        if (persist) writeTypiclustBatch(this.db, { ...want, sampleIds: memory });
      },
    };
  }

  private applyDifferences(frontChanged: boolean): void {
    const labeled = labeledSampleIds(this.db);
    const excluded = excludedSampleIds(this.db);
    const state = this.state;
    if (state && this.matrix) {
      const rowOf = (id: number) => rowOfSample(this.matrix!.ids, id);
      for (const id of this.excluded) if (!excluded.has(id) && rowOf(id) >= 0) state.restore(rowOf(id));
      for (const id of excluded) if (!this.excluded.has(id) && rowOf(id) >= 0) state.exclude(rowOf(id));
      for (const id of this.labeled) if (!labeled.has(id) && rowOf(id) >= 0) state.unlabel(rowOf(id));
      for (const id of labeled) if (!this.labeled.has(id) && rowOf(id) >= 0) state.label(rowOf(id));
    }
    this.labeled = labeled;
    this.excluded = excluded;
    if (state && this.matrix && frontChanged) state.setFront(this.frontRows());
    this.pruneFront();
  }

  /**
   * The random order's matrix rows: every sample id permuted by the project's
   * seed, those without a vector left out. In steps (a yield between them),
   * each a linear pass: at a million samples the server's thread stays free.
   */
  private *randomRows(matrix: SelectionMatrix, all: Int32Array): Generator<void, Int32Array, void> {
    const permutation = seededPermutation(all.length, this.stamp!.randomSeed);
    yield;
    // Both id lists ascend: one merge finds every id's row, where a binary search per id cost 20 reads each.
    const { ids } = matrix;
    const rowOfId = new Int32Array(all.length);
    for (let i = 0, row = 0; i < all.length; i++) {
      while (row < ids.length && ids[row]! < all[i]!) row++;
      rowOfId[i] = row < ids.length && ids[row] === all[i] ? row : -1;
    }
    yield;
    const rows = new Int32Array(ids.length);
    let count = 0;
    for (const p of permutation) {
      const row = rowOfId[p]!;
      if (row >= 0) rows[count++] = row;
    }
    return rows.subarray(0, count);
  }

  private randomIdsWithoutEmbeddings(): number[] {
    const all = allSampleIds(this.db);
    const permutation = seededPermutation(all.length, this.stamp!.randomSeed);
    const out: number[] = [];
    for (const p of permutation) {
      const id = all[p]!;
      if (!this.labeled.has(id) && !this.excluded.has(id)) out.push(id);
    }
    return out;
  }

  private idEntry(r: QueueRow): { id: number; novelty: number | null; skipped: boolean } {
    return { id: this.matrix!.ids[r.row]!, novelty: Number.isFinite(r.novelty) ? r.novelty : null, skipped: r.skipped };
  }

  private describe(items: { id: number; novelty: number | null; skipped: boolean }[], offset: number): QueueEntry[] {
    if (items.length === 0) return [];
    const info = queueEntryInfo(this.db);
    return items.map((item, k) => {
      const row = info(item.id);
      return { rank: offset + k + 1, sampleId: item.id, path: row?.path ?? '', novelty: item.novelty, angle: row?.angle ?? null, skipped: item.skipped };
    });
  }

  private countUnembedded(): number {
    const active = countActiveSamples(this.db);
    if (!this.matrix) return active;
    let embeddedActive = 0;
    for (const id of this.matrix.ids) if (!this.excluded.has(id)) embeddedActive++;
    return Math.max(0, active - embeddedActive);
  }

  private rowOf(sampleId: number): number {
    const row = rowOfSample(this.matrix!.ids, sampleId);
    if (row >= 0) return row;
    requireSamples(this.db, [sampleId]);
    throw new FarpointError(`sample ${sampleId} has no embedding from model ${this.matrix!.modelId}; run embedding first`, 409);
  }

  private noEmbeddings(): FarpointError {
    return new FarpointError('the furthest-point queue needs embeddings of the current model: train and embed first, or switch the strategy to random', 409);
  }
}
