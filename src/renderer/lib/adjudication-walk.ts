import type { Conflict } from '../../shared/label-exchange';

/**
 * Where the adjudication walk goes next: the next conflict still open after
 * the current one, wrapping round; null when none is. `isOpen` says which
 * are open, with what this walk stored or undid since the list was fetched.
 */
export function nextOpenConflict(conflicts: readonly Conflict[], currentId: number, isOpen: (c: Conflict) => boolean = (c) => c.adjudicated === null): number | null {
  const at = conflicts.findIndex((c) => c.sampleId === currentId);
  for (let step = 1; step <= conflicts.length; step++) {
    const c = conflicts[(Math.max(at, 0) + step) % conflicts.length]!;
    if (c.sampleId !== currentId && isOpen(c)) return c.sampleId;
  }
  return null;
}

/**
 * What this walk changed that a fetched conflict list may not show yet: the
 * samples it adjudicated and those whose adjudication it undid. Only the
 * walk's own writes go in, so they are never older than the list.
 */
export class WalkChanges {
  private readonly stored = new Set<number>();
  private readonly undone = new Set<number>();

  adjudicated(sampleId: number): void {
    this.stored.add(sampleId);
    this.undone.delete(sampleId);
  }

  undid(sampleId: number): void {
    this.undone.add(sampleId);
    this.stored.delete(sampleId);
  }

  /** Whether the conflict is still to adjudicate. */
  isOpen(c: Conflict): boolean {
    if (this.undone.has(c.sampleId)) return true;
    return c.adjudicated === null && !this.stored.has(c.sampleId);
  }

  /** The stored adjudication as far as this walk knows (none right after an undo, whatever the list says). */
  adjudicationOf(c: Conflict): Conflict['adjudicated'] {
    return this.undone.has(c.sampleId) ? null : c.adjudicated;
  }
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
