import type { CliCommand } from '../command';
import { stringOption } from '../command';
import { FarpointError } from '../../../core/errors';
import { exportProjectTo, exportProjectToFile, type ExportFormat } from '../../../app/project-export';

export const exportCommand: CliCommand = {
  name: 'export',
  args: 'PROJECT',
  summary: 'Export every sample with its current angle, source, who, when, and queue rank and strategy at labeling time.',
  details:
    'CSV: a first comment line stating the angle convention (0° = up, clockwise; axial projects 0–180°), then one row\n' +
    'per sample (path, angle_deg, content_hash, status, source, author, labeled_at, queue_rank, strategy, frame,\n' +
    'study_uid, series_uid, sop_uid, then any imported columns); unlabeled samples have an empty angle. It reads back\n' +
    'with `farpoint labels import`. JSON adds each sample\'s full annotation history and every evaluation run;\n' +
    'COCO writes images (with DICOM UIDs and frame) and one whole-image annotation per label with angle_deg as an\n' +
    'attribute. DICOM patient attributes appear only in projects that keep them. Without --out it prints to stdout.',
  options: {
    format: { type: 'string', value: 'FMT', description: 'csv (default), json or coco' },
    out: { type: 'string', value: 'FILE', description: 'write to FILE instead of stdout' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const format = (stringOption(ctx, 'format') ?? 'csv').toLowerCase();
    if (format !== 'csv' && format !== 'json' && format !== 'coco') throw new FarpointError(`--format must be csv, json or coco, got '${format}'`);
    const out = stringOption(ctx, 'out');
    if (!out) {
      exportProjectTo(ctx.positionals[0]!, format as ExportFormat, (chunk) => process.stdout.write(chunk));
      return;
    }
    const { file, samples, labeled } = exportProjectToFile(ctx.positionals[0]!, format as ExportFormat, out);
    ctx.out.result({ file, format, samples, labeled }, () => `exported ${samples} samples (${labeled} labeled) to ${file}`);
  },
};
