import { normalizeAngle } from '../../shared/angles';
import type { AngleMode } from '../../shared/domain';

/**
 * Screen geometry of the orientation dial. Angles follow the project's
 * convention: degrees clockwise from "pointing up" (as in the demo data's
 * angles.csv), so 90° points right. Screen y grows downwards.
 */

/** The angle of the pointer seen from the dial's centre. */
export function angleFromPointer(dx: number, dy: number, mode: AngleMode): number {
  const deg = (Math.atan2(dx, -dy) * 180) / Math.PI;
  return roundTenth(normalizeAngle(deg, mode));
}

/** Unit vector (screen coordinates) of an angle. */
export function directionOf(angle: number): { x: number; y: number } {
  const rad = (angle * Math.PI) / 180;
  return { x: Math.sin(rad), y: -Math.cos(rad) };
}

/** One keyboard step, wrapped into the mode's period. */
export function stepAngle(angle: number, delta: number, mode: AngleMode): number {
  return roundTenth(normalizeAngle(angle + delta, mode));
}

/** Parses what the user typed ("123", "123.5°", " 45 "); null when it is not a number. */
export function parseTypedAngle(text: string, mode: AngleMode): number | null {
  const cleaned = text.trim().replace(/°$/, '').trim();
  if (!/^-?\d+(\.\d*)?$|^-?\.\d+$/.test(cleaned)) return null;
  return roundTenth(normalizeAngle(Number(cleaned), mode));
}

export function formatAngle(angle: number): string {
  return `${angle.toFixed(1)}°`;
}

/** Tenths of a degree: finer than anyone can set by hand, and keeps the typed and stored values equal. */
function roundTenth(deg: number): number {
  const r = Math.round(deg * 10) / 10;
  return Object.is(r, -0) ? 0 : r;
}
