import type { CliCommand } from '../command';
import { recoverProjectFile } from '../../../app/project-repair';

export const recoverCommand: CliCommand = {
  name: 'recover',
  args: 'PROJECT OUT',
  summary: 'Copy everything still readable from a damaged project into a new project file OUT, labels first.',
  details:
    'PROJECT is opened read-only and never changed; OUT must not exist. The samples and their labels are copied\n' +
    'first, each table in its own transaction, then everything else; a damaged stretch of a table is skipped and\n' +
    'reported. Thumbnails, embeddings and models that were lost can be rebuilt by importing and training again.',
  minArgs: 2,
  maxArgs: 2,
  async run({ positionals, out }) {
    const [from, to] = positionals as [string, string];
    const report = recoverProjectFile(from, to);
    out.result(report, () => {
      const lines = [`recovered ${report.labelsCopied} label history entries and the rest below into ${report.to}`];
      for (const t of report.tables) {
        const problems = t.readErrors.length > 0 ? `; damaged: ${t.readErrors.join('; ')}` : '';
        lines.push(`  ${t.table.padEnd(18)} ${String(t.copied).padStart(8)} rows${t.refused > 0 ? `, ${t.refused} refused (they refer to lost rows)` : ''}${problems}`);
      }
      return lines.join('\n');
    });
  },
};
