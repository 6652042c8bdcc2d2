import type { AngleMode, EvaluationData, EvaluationProfile, EvaluationRecord, EvaluationSettings, LabelsSaved, MeanSd, PickComposition } from '../../../shared/domain';
import { chanceError, MIN_REPEATS_FOR_SPREAD, nearChanceWarning } from '../../../shared/evaluation-wording';

/**
 * The evaluation as text: the settings, the table (strategy × budget, plain
 * and balanced; ± sd only with repeats to measure it), the error of a guess,
 * a warning when errors are near it, labels saved (only with repeats), best strategy.
 */
export function formatEvaluation(record: EvaluationRecord, mode: AngleMode): string {
  const { settings: s, results: r } = record;
  const d = r.data;
  const spread = s.repeats >= MIN_REPEATS_FOR_SPREAD;
  const ms = (v: MeanSd) => (spread ? `${v.mean.toFixed(1)} ± ${v.sd.toFixed(1)}` : v.mean.toFixed(1));
  const lines = [
    `evaluation ${record.id} (${record.createdAt}), backend ${r.backend}, ${r.seconds.toFixed(0)} s`,
    `labeled ${d.labeled} (embedded ${d.usable}); test ${d.test}, training pool ${d.pool}; split ${d.split}` +
      (d.duplicateClusters !== null
        ? d.duplicateThreshold !== null
          ? ` (${d.duplicateClusters} near-duplicate clusters at latent distance ${d.duplicateThreshold.toPrecision(3)}, largest ${d.largestDuplicateCluster})`
          : ` (${d.duplicateClusters} groups of ${d.splitFrom ?? 'a column'} kept whole, largest ${d.largestDuplicateCluster})`
        : '') +
      tooLargeNote(d),
    `balanced error over ${d.testGroups} groups in the test split (${d.groupsFrom}); ${s.repeats} repeats, seed ${s.seed}; regressor ${s.inputSize}×${s.inputSize}, ${schedule(s)}`,
    '',
    `mean absolute angular error on the test split, degrees (${spread ? 'mean ± sd over repeats' : 'one repeat: no spread measured'}); ` +
      `chance (a random guess) scores ${chanceError(mode)}° (${mode === 'axial' ? 'axial' : 'full circle'})`,
  ];
  const header = ['strategy', 'budget', 'plain', 'balanced', 'median', '≤5°', '≤10°'];
  const rows: string[][] = [];
  for (const curve of r.curves) {
    for (const p of curve.points) {
      rows.push(
        p.skipped
          ? [curve.strategy, String(p.budget), `skipped: pool has ${d.pool}`, '', '', '', '']
          : [curve.strategy, String(p.budget), ms(p.plain!), ms(p.balanced!), p.median!.toFixed(1), pct(p.within5!), pct(p.within10!)],
      );
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  lines.push(fmt(header), ...rows.map(fmt), '');
  const warning = nearChanceWarning(r, mode);
  if (warning) lines.push(`warning: ${warning}`);
  lines.push(
    ...(spread
      ? labelsSavedInWords(r.labelsSaved, r.largestBudget)
      : [`labels saved: not claimed from a single repeat (differences between strategies may be noise); run ${MIN_REPEATS_FOR_SPREAD} or more repeats`]),
  );
  lines.push(`best strategy on this project: ${r.best.plain ?? 'none'} (plain error), ${r.best.balanced ?? 'none'} (balanced error), by mean error over the evaluated budgets`);
  if (r.composition) lines.push('', ...compositionTable(r.composition));
  if (r.profile) lines.push('', profileInWords(r.profile));
  return lines.join('\n');
}

/**
 * The groups' shares of the test split and of each strategy's first picks at
 * the smallest budget, where strategies differ most: what each one spent its
 * first labels on.
 */
export function compositionTable(c: PickComposition): string[] {
  const budget = Math.min(...c.picks.map((p) => p.budget));
  const first = c.picks.filter((p) => p.budget === budget);
  if (first.length === 0) return [];
  const header = ['group', 'test', ...first.map((p) => p.strategy)];
  const rows = c.groups.map((g, i) => [g, pct(c.test[i]!), ...first.map((p) => pct(p.shares[i]!))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [`share of each group in the test split and in each strategy's first ${budget} picks (first repeat)`, fmt(header), ...rows.map(fmt)];
}

function schedule(s: EvaluationSettings): string {
  return s.epochs > 0 ? `max(${s.steps} steps, ${s.epochs} epochs) per model` : `${s.steps} steps per model`;
}

/** Where the run's time went, so a slow run says which phase to blame. */
export function profileInWords(p: EvaluationProfile): string {
  const steps = Object.entries(p.stepsByBudget)
    .map(([b, n]) => `${n} at ${b}`)
    .join(', ');
  return (
    `time: decoding ${p.decodeSeconds.toFixed(0)} s, split and groups ${p.splitAndGroupsSeconds.toFixed(0)} s, orders ${p.ordersSeconds.toFixed(0)} s, ` +
    `training ${p.trainSeconds.toFixed(0)} s, predicting ${p.predictSeconds.toFixed(0)} s; CPU ${p.cpuSeconds.toFixed(0)} s; steps per model: ${steps}`
  );
}

/** One sentence per strategy and metric, e.g. "fps reaches random's plain error at 400 labels (17.2°) with 100 labels: 300 saved". */
export function labelsSavedInWords(saved: LabelsSaved[], largest: number | null): string[] {
  if (largest === null) return ['labels saved: no budget fits in the training pool'];
  if (saved.length === 0) return ['labels saved: not computed (random is not among the strategies)'];
  return saved.map((l) =>
    l.reachedAt === null
      ? `${l.strategy} never reaches random's ${l.metric} error at ${largest} labels (${l.target.toFixed(1)}°) within the budgets: no labels saved`
      : `${l.strategy} reaches random's ${l.metric} error at ${largest} labels (${l.target.toFixed(1)}°) with ${l.reachedAt} labels: ${l.saved} saved`,
  );
}

function pct(v: number): string {
  return `${(100 * v).toFixed(0)}%`;
}

/** Groups the grouped split left in the training pool as too large to hold out (records made before the rule have none). */
function tooLargeNote(d: EvaluationData): string {
  const t = d.tooLargeToHoldOut;
  if (!t || t.groups === 0) return '';
  return `; ${t.groups} group${t.groups === 1 ? '' : 's'} too large to hold out (${t.rows} samples) stayed in the training pool`;
}
