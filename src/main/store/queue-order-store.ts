import type { Db } from './database';

/** Strategies whose order the queue job computes and stores: fps, and the coverage orders whose balls cost O(n²). */
export type StoredOrderStrategy = 'fps' | 'probcover' | 'auto' | 'typiclust' | 'fps-dense';

export interface StoredQueueOrder {
  modelId: number;
  stamp: string;
  sampleIds: Int32Array;
  /** Float64, so stored novelties equal computed ones exactly. */
  novelty: Float64Array;
  seconds: number;
}

function hasTable(db: Db): boolean {
  // A file migrated past version 4 before that migration existed lacks the table; it then stores nothing.
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'queue_orders'").get() !== undefined;
}

export function saveQueueOrder(db: Db, strategy: StoredOrderStrategy, order: StoredQueueOrder): boolean {
  if (!hasTable(db)) return false;
  db.prepare(
    `INSERT INTO queue_orders (strategy, model_id, stamp, created_at, seconds, sample_ids, novelty) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(strategy) DO UPDATE SET model_id = excluded.model_id, stamp = excluded.stamp, created_at = excluded.created_at,
       seconds = excluded.seconds, sample_ids = excluded.sample_ids, novelty = excluded.novelty`,
  ).run(
    strategy,
    order.modelId,
    order.stamp,
    new Date().toISOString(),
    order.seconds,
    Buffer.from(order.sampleIds.buffer, order.sampleIds.byteOffset, order.sampleIds.byteLength),
    Buffer.from(order.novelty.buffer, order.novelty.byteOffset, order.novelty.byteLength),
  );
  return true;
}

/** The stored order when it was computed from exactly this state of the project, else null. */
export function loadQueueOrder(db: Db, strategy: StoredOrderStrategy, stamp: string): StoredQueueOrder | null {
  if (!hasTable(db)) return null;
  const row = db.prepare('SELECT model_id, stamp, seconds, sample_ids, novelty FROM queue_orders WHERE strategy = ? AND stamp = ?').get(strategy, stamp) as
    | StoredRow
    | undefined;
  return row ? fromRow(row) : null;
}

/** The last order stored for this strategy and model, whatever state it was computed from (a stale answer while the job recomputes). */
export function loadLatestQueueOrder(db: Db, strategy: StoredOrderStrategy, modelId: number): StoredQueueOrder | null {
  if (!hasTable(db)) return null;
  const row = db.prepare('SELECT model_id, stamp, seconds, sample_ids, novelty FROM queue_orders WHERE strategy = ? AND model_id = ?').get(strategy, modelId) as
    | StoredRow
    | undefined;
  return row ? fromRow(row) : null;
}

interface StoredRow {
  model_id: number;
  stamp: string;
  seconds: number;
  sample_ids: Buffer;
  novelty: Buffer;
}

function fromRow(row: StoredRow): StoredQueueOrder {
  // Copy out of the driver's buffers (they may be unaligned for typed-array views).
  const sampleIds = new Int32Array(row.sample_ids.byteLength / 4);
  new Uint8Array(sampleIds.buffer).set(row.sample_ids);
  const novelty = new Float64Array(row.novelty.byteLength / 8);
  new Uint8Array(novelty.buffer).set(row.novelty);
  return { modelId: row.model_id, stamp: row.stamp, sampleIds, novelty, seconds: row.seconds };
}
