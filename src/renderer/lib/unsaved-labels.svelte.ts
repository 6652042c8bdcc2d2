import type { ArgOf, FarpointApi } from '../../shared/contract';

export interface UnsavedLabel {
  arg: ArgOf<'saveLabel'>;
  reason: string;
}

/**
 * Labels whose save failed (read-only file, full disk, a busy project): kept
 * in memory so an expert's work is never silently lost, and retried on demand.
 * A connection opened on a read-only file stays read-only, so a retry reopens
 * the project first.
 */
export class UnsavedLabels {
  items = $state<UnsavedLabel[]>([]);
  retrying = $state(false);

  keep(arg: ArgOf<'saveLabel'>, err: unknown): void {
    const reason = err instanceof Error ? err.message : String(err);
    // The newest value for a sample replaces an older unsaved one.
    this.items = [...this.items.filter((i) => i.arg.sampleId !== arg.sampleId), { arg, reason }];
  }

  /** Saves what it can; returns how many are still unsaved. */
  async retry(api: FarpointApi, projectPath: string | null): Promise<number> {
    this.retrying = true;
    try {
      if (projectPath) await api.openProject({ path: projectPath }).catch(() => undefined);
      const left: UnsavedLabel[] = [];
      for (const item of this.items) {
        try {
          await api.saveLabel(item.arg);
        } catch (err) {
          left.push({ arg: item.arg, reason: err instanceof Error ? err.message : String(err) });
        }
      }
      this.items = left;
      return left.length;
    } finally {
      this.retrying = false;
    }
  }
}
