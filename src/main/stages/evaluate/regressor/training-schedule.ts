/**
 * How many optimisation steps a regressor trained on `images` labeled images
 * gets: at least `epochs` passes over them, and never fewer than `minSteps`.
 *
 * A fixed step count for every budget either undertrains the large budgets
 * (300 steps are 24 passes over 400 images, and the error still falls with
 * more) or wastes time on the small ones (25 images fit in one batch, so 300
 * steps are 300 passes). Passes scale with the budget; the floor keeps a tiny
 * budget from being measured before it has converged.
 */
export function regressorSteps(images: number, schedule: { minSteps: number; epochs: number; batchSize: number }): number {
  if (images <= 0) return schedule.minSteps;
  const perEpoch = Math.ceil(images / Math.min(schedule.batchSize, images));
  return Math.max(schedule.minSteps, Math.ceil(schedule.epochs * perEpoch));
}
