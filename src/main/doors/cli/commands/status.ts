import type { CliCommand } from '../command';
import { withProject } from '../contract-client';

export const statusCommand: CliCommand = {
  name: 'status',
  args: 'PROJECT',
  summary: 'Counts of samples, excluded, labeled, embedded and models of a project.',
  minArgs: 1,
  maxArgs: 1,
  async run({ positionals, out }) {
    // openProject checks the project for damage, as the app does; a damaged one still opens and says so.
    const s = await withProject(positionals[0]!, (client) => client.call('getStatus', {}));
    out.result(s, () =>
      [
        `project   ${s.path}`,
        `samples   ${s.samples} (${s.active} active, ${s.excluded} excluded)`,
        `labeled   ${s.labeled}`,
        `embedded  ${s.embedded}${s.currentModelId ? ` (model ${s.currentModelId}, ${s.currentEncoder ?? 'autoencoder'}, ${s.backend})` : ''}`,
        `models    ${s.models}`,
        `angles    ${s.settings.angleMode === 'axial' ? 'axial (0–180°)' : 'full circle (0–360°)'}`,
        ...(s.damaged ? [`DAMAGED   ${s.damaged}`] : []),
        ...(s.modelInputChanged ? [`RETRAIN   ${s.modelInputChanged}`] : []),
      ].join('\n'),
    );
  },
};
