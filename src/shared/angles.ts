import type { AngleMode } from './domain';

/** Angle maths shared by the annotation tool, the evaluation and the export. All angles in degrees. */

export function periodOf(mode: AngleMode): number {
  return mode === 'axial' ? 180 : 360;
}

/** Wraps an angle into [0, period). */
export function normalizeAngle(deg: number, mode: AngleMode = 'full'): number {
  const p = periodOf(mode);
  const r = deg % p;
  const wrapped = r < 0 ? r + p : r;
  // -0 and values that round to p become 0, so stored values are canonical.
  return wrapped >= p || Object.is(wrapped, -0) ? 0 : wrapped;
}

/** Smallest absolute difference between two angles on the circle (or on the half circle for axial data). */
export function angularDifference(a: number, b: number, mode: AngleMode = 'full'): number {
  const p = periodOf(mode);
  const d = Math.abs(normalizeAngle(a, mode) - normalizeAngle(b, mode));
  return Math.min(d, p - d);
}

/** Angle from a (cos, sin) encoding; axial data is encoded at twice the angle. */
export function angleFromVector(cos: number, sin: number, mode: AngleMode = 'full'): number {
  const rad = Math.atan2(sin, cos);
  const deg = (rad * 180) / Math.PI;
  return normalizeAngle(mode === 'axial' ? deg / 2 : deg, mode);
}

export function vectorFromAngle(deg: number, mode: AngleMode = 'full'): [number, number] {
  const rad = ((mode === 'axial' ? 2 * deg : deg) * Math.PI) / 180;
  return [Math.cos(rad), Math.sin(rad)];
}
