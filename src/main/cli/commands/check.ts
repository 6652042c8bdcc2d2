import type { CliCommand } from '../command';
import { FarpointError } from '../../errors';
import { checkIntegrity, describeDamage } from '../../project/integrity';
import { Project } from '../../project/project';

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
    const project = Project.open(positionals[0]!, { readonly: true });
    try {
      const report = checkIntegrity(project.db, 'whole file');
      const damage = describeDamage(project.path, report);
      out.result({ path: project.path, ok: damage === null, ...report }, () =>
        damage === null ? `${project.path}: no damage found (whole file checked in ${report.seconds.toFixed(2)} s)` : [damage, ...report.problems.map((p) => `  ${p}`)].join('\n'),
      );
      if (damage !== null) throw new FarpointError(damage);
    } finally {
      project.close();
    }
  },
};
