import { hexColor } from './scatter-renderer';

/**
 * Colours of the latent map (Okabe–Ito, safe for the common colour-vision
 * deficiencies; size and draw order separate the classes as well, so no
 * class depends on hue alone). Later entries draw on top.
 */
export const statusClasses = [
  { key: 'unlabeled', label: 'unlabeled', color: '#b4b4ac', size: 2 },
  { key: 'excluded', label: 'excluded', color: '#cc79a7', size: 2 },
  { key: 'labeled', label: 'labeled', color: '#0072b2', size: 4 },
  { key: 'next', label: 'next in queue', color: '#e69f00', size: 7 },
  { key: 'highlight', label: 'highlighted cluster', color: '#009e73', size: 6 },
  { key: 'selected', label: 'lasso selection', color: '#1d1d1b', size: 4 },
] as const;

export const UNLABELED = 0;
export const EXCLUDED = 1;
export const LABELED = 2;
export const NEXT = 3;
export const HIGHLIGHT = 4;
export const SELECTED = 5;

/** The paper's Fig. 1: where the first and the last quarter of a selection order lie. */
export const orderClasses = [
  { key: 'rest', label: 'middle half / not queued', color: '#dcdcd6', size: 2 },
  { key: 'last', label: 'last quarter', color: '#d55e00', size: 3 },
  { key: 'first', label: 'first quarter', color: '#0072b2', size: 3 },
] as const;

export const ORDER_REST = 0;
export const ORDER_LAST = 1;
export const ORDER_FIRST = 2;

/** Small maps get bigger dots; at 100,000 points they would merge into a blot. */
export function stylesFor(classes: readonly { color: string; size: number }[], count: number): { color: number; size: number }[] {
  const grow = count < 2_000 ? 2 : count < 20_000 ? 1 : 0;
  return classes.map((c) => ({ color: hexColor(c.color), size: c.size + grow }));
}
