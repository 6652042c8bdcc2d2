/** A label given after an order was stored: its sample, and its angle (null: an undo or a clear took a label away). */
export interface LabelSince {
  sampleId: number;
  angle: number | null;
}

/**
 * How many entries at the head of a stored furthest-point order the labels
 * given since it was stored took, when they took exactly its head (in any
 * order, relabels included); null when any of them was an undo or a clear,
 * or labeled a sample past that head. Labeling the head only makes centers
 * of the samples the order picked first, so the rest of the order is the
 * order of the project as it is now: a reopened project serves it while its
 * live queue is built, instead of waiting for the queue job.
 */
export function labeledHead(order: ArrayLike<number>, labelsSince: readonly LabelSince[]): number | null {
  const labeled = new Set<number>();
  for (const label of labelsSince) {
    if (label.angle === null) return null;
    labeled.add(label.sampleId);
  }
  if (labeled.size > order.length) return null;
  for (let k = 0; k < labeled.size; k++) if (!labeled.has(order[k]!)) return null;
  return labeled.size;
}
