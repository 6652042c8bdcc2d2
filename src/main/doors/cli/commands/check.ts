import type { CliCommand } from '../command';
import { checkProjectFile } from '../../../app/project-repair';
import { FarpointError } from '../../../core/errors';

export const checkCommand: CliCommand = {
  name: 'check',
  args: 'PROJECT',
  summary: "Check every page of a project file for damage (SQLite's quick_check); exits non-zero when it is damaged.",
  details:
    'Opening a project checks only its labels, samples, exclusions and settings; this checks the whole file\n' +
    '(thumbnails, embeddings, models too). A damaged project can be copied with `farpoint recover PROJECT OUT`.',
  minArgs: 1,
  maxArgs: 1,
  async run({ positionals, out }) {
    const { damage, ...report } = checkProjectFile(positionals[0]!);
    out.result({ ok: damage === null, ...report }, () =>
      damage === null ? `${report.path}: no damage found (whole file checked in ${report.seconds.toFixed(2)} s)` : [damage, ...report.problems.map((p) => `  ${p}`)].join('\n'),
    );
    if (damage !== null) throw new FarpointError(damage);
  },
};
