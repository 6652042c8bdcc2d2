/**
 * Window/level: which range of a 16-bit (or rescaled) image's values is
 * spread over the 256 grey levels a screen shows. Shared by the back end
 * (thumbnails, display copies, training input) and Annotate (drag and keys).
 * Values are in modality units: stored value × Rescale Slope + Rescale Intercept
 * (Hounsfield units for a CT).
 */
export interface WindowLevel {
  center: number;
  width: number;
}

/**
 * The project's window, a project setting because thumbnails and the
 * autoencoder's input are rendered with it (changing it changes the latent space).
 * - `auto`: each image's own window from its DICOM tags (the `fileWindow`-th
 *   when a file offers several, else the first), or, without tags, the
 *   0.5–99.5 percentile range of its values;
 * - `percentile`: always the percentile range, whatever the tags say;
 * - `fixed`: the same center and width for every image (a CT's bone or lung window).
 * 8-bit images without window tags are shown as stored.
 */
export type WindowSetting = { mode: 'auto'; fileWindow: number } | { mode: 'percentile' } | ({ mode: 'fixed' } & WindowLevel);

export const DEFAULT_WINDOW_SETTING: WindowSetting = { mode: 'auto', fileWindow: 0 };

/** One text per setting, whatever order its fields came in: what a stored thumbnail records it was rendered with. */
export function windowSettingKey(setting: WindowSetting): string {
  switch (setting.mode) {
    case 'auto':
      return `auto:${setting.fileWindow}`;
    case 'percentile':
      return 'percentile';
    case 'fixed':
      return `fixed:${setting.center},${setting.width}`;
  }
}

/** Percentiles of the automatic window: the extreme half-percent each side is mostly noise, collimator edges or metal. */
export const PERCENTILE_LOW = 0.005;
export const PERCENTILE_HIGH = 0.995;

/** Smallest width a window may take (DICOM requires width ≥ 1). */
export const MIN_WINDOW_WIDTH = 1;

/**
 * A mouse drag as radiology viewers do it: right widens the window (less
 * contrast), down raises the level (darker image). `scale` is modality units
 * per screen pixel, so a drag across the image covers a useful range.
 */
export function dragWindow(start: WindowLevel, dx: number, dy: number, scale: number): WindowLevel {
  return { center: start.center + dy * scale, width: Math.max(MIN_WINDOW_WIDTH, start.width + dx * scale) };
}

/** One key press: a step of a tenth of the current width (shifted: a hundredth), so steps stay useful from a narrow bone window to a wide raw one. */
export function stepWindow(current: WindowLevel, key: 'wider' | 'narrower' | 'brighter' | 'darker', fine = false): WindowLevel {
  const step = Math.max(1, current.width * (fine ? 0.01 : 0.1));
  switch (key) {
    case 'wider':
      return { ...current, width: current.width + step };
    case 'narrower':
      return { ...current, width: Math.max(MIN_WINDOW_WIDTH, current.width - step) };
    case 'brighter':
      return { ...current, center: current.center - step };
    case 'darker':
      return { ...current, center: current.center + step };
  }
}

export function describeWindow(window: WindowLevel): string {
  return `W ${Math.round(window.width)} / L ${Math.round(window.center)}`;
}
