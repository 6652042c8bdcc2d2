import { subsetPoints, type Points } from '../evaluation/points';
import { seededShuffle } from '../evaluation/seeded-shuffle';
import { BallCover } from './ball-cover';
import { ballPurityRadius, type BallRadiusOptions } from './ball-radius';

/**
 * Largest pool whose every row owns a ball. The radius and the balls cost
 * O(n²·d) distances and the balls' memory grows with n times the ball size,
 * which grows with n too; above this, both are built over a seeded uniform
 * sample of this many rows, so the cost and the memory stay bounded whatever
 * the pool.
 */
export const COVER_SAMPLE_LIMIT = 10_000;

export interface CoverBallsOptions extends BallRadiusOptions {
  /** The radius, when the caller has it; default: ballPurityRadius of the centres. */
  radius?: number;
  /** Default COVER_SAMPLE_LIMIT. */
  sampleLimit?: number;
}

/**
 * ProbCover's balls over a pool. Up to `sampleLimit` rows every row is a
 * centre (the paper's algorithm, exact). Above it the centres are a uniform
 * sample drawn with the seed: coverage is estimated on the sample (a uniform
 * sample keeps the pool's density, which is what the greedy coverage
 * follows), picks are sample rows, and a known row outside the sample still
 * covers the centres near it. Deterministic for a seed.
 */
export function coverBalls(points: Points, options: CoverBallsOptions = {}): { radius: number; cover: BallCover; centres: Int32Array | null } {
  const limit = options.sampleLimit ?? COVER_SAMPLE_LIMIT;
  const centres = points.count > limit ? Int32Array.from(seededShuffle(points.count, options.seed ?? 1).slice(0, limit)).sort() : null;
  const radius = options.radius ?? ballPurityRadius(centres ? subsetPoints(points, centres) : points, options);
  return { radius, cover: new BallCover(points, radius, undefined, centres), centres };
}
