import { intOption, type CliCommand } from '../command';
import { FarpointError } from '../../../core/errors';
import { importLabels } from '../../../stages/labels/import-labels';
import { Project } from '../../../store/project';

const SUBCOMMANDS = ['import'] as const;

export const labelsCommand: CliCommand = {
  name: 'labels',
  args: 'import PROJECT CSV',
  summary: 'Import ground-truth angles from a CSV (path, angle in degrees) as labels from source "imported".',
  details:
    'The CSV has a header naming a path column (path, file, image...) and an angle column (angle, angle_deg...),\n' +
    'or no header and the columns path,angle. Paths are absolute or relative to the CSV. A row matches a sample\n' +
    'by path, else by the content (SHA-256) of the file at that path. Other columns (object_type, say) are kept\n' +
    'per sample and can group the balanced error of `farpoint evaluate --group-column NAME`.\n' +
    'Rows that are malformed or match no sample are listed by line number and not imported; the good rows go in\n' +
    'one transaction. Re-importing the same file appends nothing.',
  options: {
    'max-file-mb': { type: 'string', value: 'N', description: 'skip files larger than N MiB unread (default 1024: 1 GiB)' },
  },
  minArgs: 3,
  maxArgs: 3,
  async run(ctx) {
    const { positionals, out } = ctx;
    const maxFileMegabytes = intOption(ctx, 'max-file-mb', { min: 1, max: 1024 * 1024 });
    const maxFileBytes = maxFileMegabytes === undefined ? undefined : maxFileMegabytes * 1024 * 1024;
    const [sub, projectPath, csv] = positionals as [string, string, string];
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new FarpointError(`unknown subcommand '${sub}': use farpoint labels import PROJECT CSV`);
    }
    const project = Project.open(projectPath);
    try {
      const summary = importLabels(project.db, csv, project.author, { maxFileBytes });
      out.result(summary, () => {
        const lines = [
          `imported ${summary.imported} labels from ${summary.file} (${summary.rows} rows; ${summary.unchanged} unchanged; ${summary.withoutAngle} without an angle; ${summary.matchedByHash} matched by content)`,
          `unmatched rows: ${summary.unmatched.length}; malformed rows: ${summary.malformed.length}` +
            (summary.attributes.length > 0 ? `; columns kept per sample: ${summary.attributes.join(', ')}` : ''),
        ];
        for (const p of summary.malformed) lines.push(`  line ${p.line}: malformed: ${p.reason}${p.path ? ` (${p.path})` : ''}`);
        for (const p of summary.unmatched) lines.push(`  line ${p.line}: unmatched: ${p.reason}`);
        return lines.join('\n');
      });
    } finally {
      project.close();
    }
  },
};
