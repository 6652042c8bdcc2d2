import type { ImageAdjustments } from './domain';

/** Brightness and contrast are percentages of the image as stored (100 = unchanged); the bounds keep the image recognisable. */
export const ADJUSTMENT_MIN = 20;
export const ADJUSTMENT_MAX = 300;

export const DEFAULT_IMAGE_ADJUSTMENTS: ImageAdjustments = { brightness: 100, contrast: 100, invert: false, pixelZoom: false };
