import { normalizeAngle } from '../../../../shared/angles';
import { FarpointError } from '../../../core/errors';
import { requireSample, saveHandLabel } from '../../../store/annotations';
import { Project } from '../../../store/project';
import { readSettings } from '../../../store/settings';
import { SelectionService } from '../../../stages/select/selection-service';
import type { CliCommand } from '../command';

/** How deep the queue is computed to find the rank recorded with the label. */
const RANK_LOOKAHEAD = 1000;

export const labelCommand: CliCommand = {
  name: 'label',
  args: 'PROJECT SAMPLE_ID ANGLE_DEG',
  summary: 'Record one hand label (degrees, clockwise from up) with the sample\'s current queue rank and strategy.',
  details:
    `The rank is the sample's position in the project's queue now (1 = next), looked up among the first ${RANK_LOOKAHEAD}\n` +
    'entries; deeper or unqueued samples are recorded without a rank. The angle is wrapped to the project angle mode.',
  minArgs: 3,
  maxArgs: 3,
  async run({ positionals, out }) {
    const [file, rawId, rawAngle] = positionals as [string, string, string];
    const sampleId = Number(rawId);
    if (!Number.isSafeInteger(sampleId) || sampleId < 1) throw new FarpointError(`SAMPLE_ID must be a positive integer, got '${rawId}'`);
    const angle = Number(rawAngle);
    if (rawAngle.trim() === '' || !Number.isFinite(angle) || Math.abs(angle) > 3600) {
      throw new FarpointError(`ANGLE_DEG must be a number of degrees from -3600 to 3600, got '${rawAngle}'`);
    }
    const project = Project.open(file);
    try {
      const { db, author } = project;
      requireSample(db, sampleId);
      // The project's queue order, whichever of the four it is, as the UI records it.
      const strategy = readSettings(db).strategy;
      let queueRank: number | null = null;
      try {
        const page = new SelectionService(db).page(strategy, 0, RANK_LOOKAHEAD);
        queueRank = page.entries.find((e) => e.sampleId === sampleId)?.rank ?? null;
      } catch (err) {
        // No embeddings: the label is still recorded, without a rank.
        if (!(err instanceof FarpointError && err.status === 409)) throw err;
        out.note(`no queue rank recorded: ${err.message}`);
      }
      const record = saveHandLabel(db, author, { sampleId, angle, queueRank, strategy: queueRank === null ? null : strategy });
      out.result(record, () =>
        `sample ${sampleId} labeled ${normalizeAngle(angle, readSettings(db).angleMode).toFixed(1)}°` +
        (queueRank === null ? ' (not in the first queue entries; no rank recorded)' : ` (rank ${queueRank} in the ${strategy} queue)`),
      );
    } finally {
      project.close();
    }
  },
};
