import type { MergeReport } from '../../shared/label-exchange';
import { defaultPackPath } from './label-pack-path';

/**
 * What the exchange panel shows: the typed paths and the last export and
 * merge. Held by the Agreement view, so a walk through the conflicts and
 * back leaves the merge report and the pack's path where they were.
 */
export class ExchangeForm {
  exportPath = $state('');
  mergePath = $state('');
  exported = $state.raw<{ file: string; samples: number; annotations: number } | null>(null);
  report = $state.raw<MergeReport | null>(null);
  busy = $state(false);

  constructor(projectPath: string | undefined) {
    this.exportPath = defaultPackPath(projectPath);
  }
}
