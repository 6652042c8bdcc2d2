import { requests } from '../../../../shared/contract';
import { schemaIntOption, schemaNumberOption, type CliCommand, type CliOutput } from '../command';
import { exportPackOf, mergePackInto } from '../../../app/label-exchange';
import { FarpointError } from '../../../core/errors';
import { importLabelsFile } from '../../../app/label-import';

const SUBCOMMANDS = ['import', 'export-pack', 'merge'] as const;
/** A conflict's tolerance in degrees, as the app's conflict list takes it. */
const toleranceField = requests.listLabelConflicts.arg.shape.tolerance;

export const labelsCommand: CliCommand = {
  name: 'labels',
  args: 'import PROJECT CSV | export-pack PROJECT OUT | merge PROJECT PACK',
  summary: 'Import ground-truth angles from a CSV (path, angle in degrees) as labels from source "imported".',
  details:
    'The CSV has a header naming a path column (path, file, image...) and an angle column (angle, angle_deg...),\n' +
    'or no header and the columns path,angle. Paths are absolute or relative to the CSV. A row matches a sample\n' +
    'by path, else by the content (SHA-256) of the file at that path. Other columns (object_type, say) are kept\n' +
    'per sample and can group the balanced error of `farpoint evaluate --group-column NAME`.\n' +
    'Rows that are malformed or match no sample are listed by line number and not imported; the good rows go in\n' +
    'one transaction. Re-importing the same file appends nothing.\n' +
    'export-pack writes every annotation (full history: annotator, time, source) with each image\'s content hash\n' +
    'and no pixels or paths, for another site. merge adds a pack\'s annotations to the images with the same\n' +
    'content (never by path) beside the local history: nothing local is overwritten, merging twice adds nothing,\n' +
    'and samples whose annotators differ by more than --tolerance degrees (default 10) are listed as conflicts.',
  options: {
    'max-file-mb': { type: 'string', value: 'N', description: 'skip files larger than N MiB unread (default 1024: 1 GiB)' },
    tolerance: { type: 'string', value: 'DEG', description: 'merge: angles further apart than this are a conflict (default 10)' },
  },
  minArgs: 3,
  maxArgs: 3,
  async run(ctx) {
    const { positionals, out } = ctx;
    // The same limit, in the same unit, as an image import's.
    const maxFileMegabytes = schemaIntOption(ctx, 'max-file-mb', requests.importFolder.arg.shape.maxFileMegabytes);
    const maxFileBytes = maxFileMegabytes === undefined ? undefined : maxFileMegabytes * 1024 * 1024;
    const [sub, projectPath, target] = positionals as [string, string, string];
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new FarpointError(`unknown subcommand '${sub}': use farpoint labels import|export-pack|merge PROJECT FILE`);
    }
    if (sub === 'export-pack') return exportPack(projectPath, target, out);
    if (sub === 'merge') return mergePack(projectPath, target, schemaNumberOption(ctx, 'tolerance', toleranceField) ?? toleranceField.parse(undefined), out);
    const csv = target;
    const summary = importLabelsFile(projectPath, csv, { maxFileBytes });
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
  },
};

function exportPack(projectPath: string, file: string, out: CliOutput): void {
  const result = exportPackOf(projectPath, file);
  out.result(result, () => `wrote ${result.annotations} annotations of ${result.samples} images to ${result.file}`);
}

function mergePack(projectPath: string, file: string, tolerance: number, out: CliOutput): void {
  const result = mergePackInto(projectPath, file, tolerance);
  out.result({ ...result, tolerance }, () => {
    const lines = [
      `merged ${result.added} annotations from ${result.origin} (${result.alreadyMerged} already here); ${result.matchedImages} images matched by content, ${result.unmatchedImages} not in this project`,
      `conflicts (annotators more than ${tolerance}° apart): ${result.conflicts.length}`,
    ];
    for (const c of result.conflicts) {
      const final = c.adjudicated ? `; adjudicated ${c.adjudicated.angle.toFixed(1)}° by ${c.adjudicated.author}` : '';
      lines.push(`  ${c.path}: ${c.labels.map((l) => `${l.author} ${l.angle.toFixed(1)}°${l.from === 'local' ? '' : ` (${l.from})`}`).join(', ')}; ${c.maxDifference.toFixed(1)}° apart${final}`);
    }
    // The hashes let the other site find the images this one lacks.
    for (const h of result.unmatchedHashes.slice(0, 20)) lines.push(`  not in this project: ${h}`);
    if (result.unmatchedImages > 20) lines.push(`  … and ${result.unmatchedImages - 20} more (--json lists up to ${result.unmatchedHashes.length})`);
    return lines.join('\n');
  });
}
