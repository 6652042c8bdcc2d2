/**
 * A job's rate as people read it: per second when at least one item a second
 * goes by, per minute when items take longer (training a model takes seconds,
 * so "0 models/s" said nothing), per hour below one a minute.
 */
export function formatRate(perSecond: number, unit: string): string {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return '';
  if (perSecond >= 1) return `${round(perSecond)} ${unit}/s`;
  if (perSecond * 60 >= 1) return `${round(perSecond * 60)} ${unit}/min`;
  return `${round(perSecond * 3600)} ${unit}/h`;
}

/** Two significant figures below 10, whole numbers above. */
function round(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toPrecision(2);
}
