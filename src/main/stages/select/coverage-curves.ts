import type { CoverageCurve } from '../../../shared/domain';
import { CoverageRun, type CoverageStep } from '../../core/selection/coverage';
import type { FpsEngine } from '../../core/selection/fps-engine';
import type { QueueState } from '../../core/selection/queue-state';
import type { Db } from '../../store/database';
import { labelsInOrder, type ProjectStamp } from '../../store/queue-inputs';
import { rowOfSample, type SelectionMatrix } from './embedding-matrix';
import { insertionsPerStep, runSteps } from './server-steps';

/** How far the coverage projection looks ahead along the FPS queue. */
const PROJECTION = 200;

/** What a coverage curve is computed from: the selection service's state of the project. */
export interface CoverageInputs {
  db: Db;
  matrix: SelectionMatrix;
  state: QueueState;
  stamp: ProjectStamp;
  /** The service's stamp when the curve is done (requests meanwhile may have synced a newer one: that curve is not cached). */
  stampNow: () => ProjectStamp | null;
  /** A pool built in slices (the server's): computed a few million distance evaluations per step, yielding between them. */
  inSlices: boolean;
}

/**
 * A project's coverage curves: the covering radius after each label so far,
 * in labeling order, and projected along the fps queue. The last curve is
 * cached for its stamp, and its engine is kept (CoverageRun), so the next
 * curve inserts only the labels given since; it starts afresh when a label
 * was taken back, the pool changed or the matrix was reloaded. A pool built
 * in slices is computed without a pruning tree: a tree build would hold the
 * thread for seconds at 100,000 samples.
 */
export class CoverageCurves {
  private cache: { key: string; curve: CoverageCurve } | null = null;
  private kept: KeptRun | null = null;

  /** Forgets the kept engine (the matrix it reads is being replaced). */
  forget(): void {
    this.kept = null;
  }

  async curve({ db, matrix, state, stamp, stampNow, inSlices }: CoverageInputs): Promise<CoverageCurve> {
    const key = JSON.stringify(stamp);
    if (this.cache?.key === key) return this.cache.curve;
    const { ids, modelId } = matrix;
    const order = labelsInOrder(db).map((id) => rowOfSample(ids, id)).filter((r) => r >= 0);
    const perStep = insertionsPerStep(ids.length);
    // The last curve's run goes on where the pool is the same and the labels only grew (not while another request extends it).
    const { lastStatusChange, samples, embeddings } = stamp;
    const poolKey = JSON.stringify({ modelId, lastStatusChange, samples, embeddings });
    const kept = this.kept;
    const reuse = kept && !kept.busy && kept.matrix === matrix && kept.poolKey === poolKey && kept.run.continues(order);
    const entry = reuse ? kept : newRun(matrix, state, poolKey, inSlices);
    entry.busy = true;
    let steps: CoverageStep[];
    try {
      steps = await runSteps(entry.run.extend(order, perStep), inSlices);
    } finally {
      entry.busy = false;
    }
    this.kept = entry;
    // Along the queue's head where it is known (a large pool's, from the queue job): PROJECTION picks on this thread otherwise.
    const known = state.fpsRadiiAhead(PROJECTION);
    if (!known) await runSteps(state.syncBaseSteps(perStep), inSlices);
    const projected = known ?? (await runSteps(projectionSteps(state.baseEngine.clone(), perStep), inSlices));
    const curve: CoverageCurve = {
      modelId,
      pool: entry.poolSize,
      points: steps.map((s) => ({ labels: s.labels, sampleId: ids[s.row]!, radius: s.radius })),
      current: steps.length > 0 ? steps[steps.length - 1]!.radius : null,
      projected,
    };
    if (JSON.stringify(stampNow()) === key) this.cache = { key, curve };
    return curve;
  }
}

/** A coverage run kept between curves, with what it was started for. */
interface KeptRun {
  matrix: SelectionMatrix;
  poolKey: string;
  /** Rows in the pool when the run started (the same while poolKey is). */
  poolSize: number;
  run: CoverageRun;
  busy: boolean;
}

/**
 * A run over the pool as it is now, fixed at the start (labels saved while it
 * runs in slices change the state's pool): made only when no kept run goes
 * on, since reading a million rows' pool flags is itself a task.
 */
function newRun(matrix: SelectionMatrix, state: QueueState, poolKey: string, inSlices: boolean): KeptRun {
  const pool = Uint8Array.from({ length: matrix.ids.length }, (_, r) => (state.inPool(r) ? 1 : 0));
  const poolSize = pool.reduce((sum, v) => sum + v, 0);
  return { matrix, poolKey, poolSize, run: new CoverageRun(matrix.kernel, (r) => pool[r] === 1, inSlices ? 'never' : 'auto'), busy: false };
}

/** The covering radius after each of the next PROJECTION picks of an fps engine (a clone: the queue's own is not moved), `picksPerStep` picks per step. */
function* projectionSteps(engine: FpsEngine, picksPerStep: number): Generator<void, number[], void> {
  const projected: number[] = [];
  for (let k = 0; k < PROJECTION && engine.pick(); k++) {
    projected.push(engine.coveringRadius());
    if ((k + 1) % picksPerStep === 0) yield;
  }
  return projected;
}
