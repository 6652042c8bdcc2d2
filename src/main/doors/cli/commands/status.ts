import type { CliCommand } from '../command';
import { Project } from '../../../store/project';

export const statusCommand: CliCommand = {
  name: 'status',
  args: 'PROJECT',
  summary: 'Counts of samples, excluded, labeled, embedded and models of a project.',
  minArgs: 1,
  maxArgs: 1,
  async run({ positionals, out }) {
    const project = Project.open(positionals[0]!);
    try {
      project.checkOnOpen();
      const s = project.status();
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
    } finally {
      project.close();
    }
  },
};
