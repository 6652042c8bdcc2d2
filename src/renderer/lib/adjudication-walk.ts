import type { Conflict } from '../../shared/label-exchange';

/**
 * Where the adjudication walk goes next: the next conflict still open
 * (not adjudicated) after the current one, wrapping round; `done` names
 * samples adjudicated since the list was fetched. Null when none is open.
 */
export function nextOpenConflict(conflicts: readonly Conflict[], currentId: number, done: ReadonlySet<number> = new Set()): number | null {
  const at = conflicts.findIndex((c) => c.sampleId === currentId);
  for (let step = 1; step <= conflicts.length; step++) {
    const c = conflicts[(Math.max(at, 0) + step) % conflicts.length]!;
    if (c.sampleId !== currentId && c.adjudicated === null && !done.has(c.sampleId)) return c.sampleId;
  }
  return null;
}

/** The conflict before or after the current one in list order (no wrapping), or null at an end. */
export function neighbourConflict(conflicts: readonly Conflict[], currentId: number, direction: 1 | -1): number | null {
  const at = conflicts.findIndex((c) => c.sampleId === currentId);
  if (at < 0) return conflicts[0]?.sampleId ?? null;
  return conflicts[at + direction]?.sampleId ?? null;
}

/** One adjudication made in this walk, kept for undo. */
export interface Adjudicated {
  annotationId: number;
  sampleId: number;
  angle: number;
}
