import { FarpointError } from '../../../core/errors';
import type { CliCommand } from '../command';
import { withProject } from '../contract-client';

export const labelCommand: CliCommand = {
  name: 'label',
  args: 'PROJECT SAMPLE_ID ANGLE_DEG',
  summary: 'Record one hand label (degrees, clockwise from up) with the sample\'s queue rank and the project\'s strategy.',
  details:
    'The rank is recorded as the app records it: the labels already stored plus the sample\'s position in the project\'s\n' +
    'queue now (labels made in queue order read 1, 2, 3, …). A sample deep in the queue, or a project without embeddings,\n' +
    'is recorded without a rank. The angle is wrapped to the project angle mode.',
  minArgs: 3,
  maxArgs: 3,
  async run({ positionals, out }) {
    const [file, rawId, rawAngle] = positionals as [string, string, string];
    // Checked here as well as by saveLabel's schema, so the message names the argument as typed.
    const sampleId = Number(rawId);
    if (!Number.isSafeInteger(sampleId) || sampleId < 1) throw new FarpointError(`SAMPLE_ID must be a positive integer, got '${rawId}'`);
    const angle = Number(rawAngle);
    if (rawAngle.trim() === '' || !Number.isFinite(angle) || Math.abs(angle) > 3600) {
      throw new FarpointError(`ANGLE_DEG must be a number of degrees from -3600 to 3600, got '${rawAngle}'`);
    }
    const record = await withProject(file, async (client) => {
      // The project's queue order, whichever it is, as the UI records it; saveLabel finds the rank in it.
      const { strategy } = (await client.call('getStatus', {})).settings;
      return client.call('saveLabel', { sampleId, angle, strategy });
    });
    out.result(record, () =>
      `sample ${sampleId} labeled ${(record.angle ?? angle).toFixed(1)}°` +
      (record.queueRank === null ? ' (not near the head of the queue, or no queue yet: no rank recorded)' : ` (rank ${record.queueRank} in the ${record.strategy} queue)`),
    );
  },
};
