import type { CliCommand } from '../command';
import { agreementOf } from '../../../app/label-exchange';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
const deg = (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}°`);

export const agreementCommand: CliCommand = {
  name: 'agreement',
  args: 'PROJECT',
  summary: 'How far annotators agree on samples two or more of them labeled (own and merged hand labels).',
  details:
    'Each annotator\'s latest hand angle per sample. Differences are circular (350° and 10° are 20° apart; axial\n' +
    'projects on the half circle): the mean absolute difference over every pair of annotators on every sample,\n' +
    'the share of pairs within 5° and within 10°, and the same per pair of annotators.',
  minArgs: 1,
  maxArgs: 1,
  async run({ positionals, out }) {
    const report = agreementOf(positionals[0]!);
    out.result(report, () => {
      if (report.samples === 0) return 'no sample is labeled by two annotators or more';
      const lines = [
        `${report.samples} samples labeled by two or more of ${report.annotators.length} annotators (${report.annotators.join(', ')})`,
        `mean absolute difference ${deg(report.meanAbsDifference)}; within 5°: ${pct(report.within5)}; within 10°: ${pct(report.within10)}`,
        'pair                              samples   mean diff   ≤5°      ≤10°',
      ];
      for (const p of report.pairs) lines.push(`${`${p.a} – ${p.b}`.padEnd(34)}${String(p.samples).padStart(7)}   ${deg(p.meanAbsDifference).padStart(9)}   ${pct(p.within5).padStart(7)}  ${pct(p.within10).padStart(7)}`);
      return lines.join('\n');
    });
  },
};
