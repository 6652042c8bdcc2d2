import type { ProjectSettings } from '../../../../shared/domain';
import { describeWindow, type WindowSetting } from '../../../../shared/window-level';
import type { CliCommand } from '../command';
import { intOption, stringOption } from '../command';
import { FarpointError } from '../../../core/errors';
import { changeSettingsOf } from '../../../app/window-change';
import { formatProgress } from '../output';

export const settingsCommand: CliCommand = {
  name: 'settings',
  args: 'PROJECT',
  summary: 'Show or change the window/level and patient-attribute settings of a project.',
  details:
    '--window auto: each DICOM image\'s own Window Center/Width (the --file-window N-th of several, 0 = first),\n' +
    '  else the 0.5–99.5 percentile range of its values; percentile: always the percentile range;\n' +
    '  CENTER,WIDTH (e.g. 40,400): that window for every image, in modality units (HU for CT).\n' +
    'Thumbnails and the autoencoder\'s input use the window: changing it renders the DICOM thumbnails again\n' +
    '(with progress) and changes the latent space, so train again afterwards. --keep-patient-attributes on keeps DICOM patient-identifying attributes\n' +
    '(name, ID, birth date …) of later imports and writes them into exports; off (the default) never stores them.',
  options: {
    window: { type: 'string', value: 'MODE', description: 'auto, percentile or CENTER,WIDTH' },
    'file-window': { type: 'string', value: 'N', description: 'with --window auto: which of a file\'s windows (0 = first)' },
    'keep-patient-attributes': { type: 'string', value: 'on|off', description: 'keep DICOM patient attributes (default off)' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const patch: Partial<ProjectSettings> = {};
    const window = stringOption(ctx, 'window');
    const fileWindow = intOption(ctx, 'file-window', { min: 0, max: 100 });
    if (window !== undefined) patch.window = parseWindow(window, fileWindow ?? 0);
    else if (fileWindow !== undefined) patch.window = { mode: 'auto', fileWindow };
    const keep = stringOption(ctx, 'keep-patient-attributes');
    if (keep !== undefined) {
      if (keep !== 'on' && keep !== 'off') throw new FarpointError(`--keep-patient-attributes must be on or off, got '${keep}'`);
      patch.keepPatientAttributes = keep === 'on';
    }
    const { settings, thumbnails, modelInputChanged } = await changeSettingsOf(ctx.positionals[0]!, patch, (p) => ctx.out.progress(formatProgress(p)));
    const result = {
      window: settings.window,
      keepPatientAttributes: settings.keepPatientAttributes,
      thumbnailsRendered: thumbnails?.rendered ?? 0,
      thumbnailsFailed: thumbnails?.failed ?? [],
      modelInputChanged,
    };
    ctx.out.result(result, () => {
      const lines = [`window                   ${windowText(settings.window)}`, `keep patient attributes  ${settings.keepPatientAttributes ? 'on' : 'off'}`];
      if (thumbnails) lines.push(`rendered ${thumbnails.rendered} DICOM thumbnails again with the new window in ${thumbnails.seconds.toFixed(1)} s`);
      for (const f of thumbnails?.failed ?? []) lines.push(`  not rendered  ${f.path}: ${f.reason}`);
      if (modelInputChanged) lines.push(`note: ${modelInputChanged}`);
      return lines.join('\n');
    });
  },
};

function parseWindow(text: string, fileWindow: number): WindowSetting {
  if (text === 'auto') return { mode: 'auto', fileWindow };
  if (text === 'percentile') return { mode: 'percentile' };
  const [center, width] = text.split(',').map((s) => Number(s.trim()));
  if (center === undefined || width === undefined || !Number.isFinite(center) || !Number.isFinite(width) || width < 1) {
    throw new FarpointError(`--window must be auto, percentile or CENTER,WIDTH with WIDTH ≥ 1 (e.g. 40,400), got '${text}'`);
  }
  return { mode: 'fixed', center, width };
}

function windowText(w: WindowSetting): string {
  if (w.mode === 'fixed') return `fixed ${describeWindow(w)}`;
  if (w.mode === 'percentile') return 'percentile (0.5–99.5 % of each image)';
  return `auto (file window ${w.fileWindow + 1}, else percentile)`;
}
