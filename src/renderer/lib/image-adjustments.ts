import type { ImageAdjustments } from '../../shared/domain';
import { ADJUSTMENT_MAX, ADJUSTMENT_MIN, DEFAULT_IMAGE_ADJUSTMENTS } from '../../shared/image-adjustments';

/**
 * Annotate's display adjustments for ordinary images: brightness, contrast,
 * invert and a 1:1 pixel zoom. Display only, so a CSS filter on the image is
 * enough; the DICOM window (window-keys.ts) changes the rendered copy instead.
 */
export type AdjustmentChange = 'brighter' | 'darker' | 'more-contrast' | 'less-contrast' | 'invert' | 'pixel-zoom' | 'reset';

/** Ten percent a press: fine enough to tune, few enough presses to go from dim to readable. */
const STEP = 10;

export const adjustmentKeyHelp: { keys: string; what: string }[] = [
  { keys: 'B / Shift + B', what: 'image brighter / darker' },
  { keys: 'C / Shift + C', what: 'more / less contrast' },
  { keys: 'N', what: 'invert (negative) on / off' },
  { keys: 'P', what: '1:1 pixels (one image pixel per screen pixel) on / off' },
  { keys: 'R', what: 'reset brightness, contrast, invert and 1:1' },
];

export function adjustmentForKey(event: Pick<KeyboardEvent, 'key' | 'shiftKey'>): AdjustmentChange | null {
  switch (event.key) {
    case 'b':
    case 'B':
      return event.shiftKey ? 'darker' : 'brighter';
    case 'c':
    case 'C':
      return event.shiftKey ? 'less-contrast' : 'more-contrast';
    case 'n':
    case 'N':
      return 'invert';
    case 'p':
    case 'P':
      return 'pixel-zoom';
    case 'r':
    case 'R':
      return 'reset';
    default:
      return null;
  }
}

const clamp = (value: number) => Math.min(ADJUSTMENT_MAX, Math.max(ADJUSTMENT_MIN, value));

export function applyAdjustment(current: ImageAdjustments, change: AdjustmentChange): ImageAdjustments {
  switch (change) {
    case 'brighter':
      return { ...current, brightness: clamp(current.brightness + STEP) };
    case 'darker':
      return { ...current, brightness: clamp(current.brightness - STEP) };
    case 'more-contrast':
      return { ...current, contrast: clamp(current.contrast + STEP) };
    case 'less-contrast':
      return { ...current, contrast: clamp(current.contrast - STEP) };
    case 'invert':
      return { ...current, invert: !current.invert };
    case 'pixel-zoom':
      return { ...current, pixelZoom: !current.pixelZoom };
    case 'reset':
      return { ...DEFAULT_IMAGE_ADJUSTMENTS };
  }
}

/** The CSS filter for the image element; 'none' when nothing is adjusted, so unadjusted images draw as before. */
export function cssFilter(a: ImageAdjustments): string {
  const parts: string[] = [];
  if (a.brightness !== 100) parts.push(`brightness(${a.brightness / 100})`);
  if (a.contrast !== 100) parts.push(`contrast(${a.contrast / 100})`);
  if (a.invert) parts.push('invert(1)');
  return parts.length > 0 ? parts.join(' ') : 'none';
}

export function isAdjusted(a: ImageAdjustments): boolean {
  return a.brightness !== 100 || a.contrast !== 100 || a.invert || a.pixelZoom;
}
