/**
 * How hard the soak scenarios push. `npm test` runs every file with the small
 * CI counts; `npm run test:soak` sets FARPOINT_SOAK=1 for the full counts the
 * reliability issue asks for. Counts can also be forced for one scenario
 * (FARPOINT_SOAK_RUNS=5) when chasing a failure.
 */
export const FULL_SOAK = process.env.FARPOINT_SOAK === '1';

export function soakCount(ci: number, full: number): number {
  const forced = Number(process.env.FARPOINT_SOAK_RUNS);
  if (Number.isInteger(forced) && forced > 0) return forced;
  return FULL_SOAK ? full : ci;
}

/** The seed of every random choice, printed by each scenario so a failure can be replayed (FARPOINT_SOAK_SEED=…). */
export const SOAK_SEED = Number.isInteger(Number(process.env.FARPOINT_SOAK_SEED)) && process.env.FARPOINT_SOAK_SEED ? Number(process.env.FARPOINT_SOAK_SEED) : 20240808;
