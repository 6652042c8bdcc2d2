import type { AngleMode } from '../../../shared/domain';

/** How every export states its angles, so a downstream tool need not guess. */
export interface AngleConvention {
  unit: 'degrees';
  zero: 'up (towards the top edge of the image)';
  direction: 'clockwise';
  range: string;
}

export function angleConvention(mode: AngleMode): AngleConvention {
  return {
    unit: 'degrees',
    zero: 'up (towards the top edge of the image)',
    direction: 'clockwise',
    range: mode === 'axial' ? '[0, 180): axial, an object and its 180° turn are the same label' : '[0, 360)',
  };
}

/** The same as one CSV comment line (no commas or quotes, so any CSV reader that skips '#' lines skips it whole). */
export function angleConventionComment(mode: AngleMode): string {
  const c = angleConvention(mode);
  return `# farpoint export; angle_deg in ${c.unit}; 0 = ${c.zero}; ${c.direction}; range ${c.range.replace(/,/g, ' to')}\n`;
}
