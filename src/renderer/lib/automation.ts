/**
 * Read-only hooks that let the browser tests and the UI benchmark find things
 * drawn on a canvas (a point of the latent map has no DOM node to click).
 * Nothing in the app reads them.
 */
export interface AutomationHooks {
  /** Page coordinates of a sample's point on the latent map (first panel), or null when not drawn. */
  mapPointOf?: (sampleId: number) => { x: number; y: number } | null;
  /** The cluster highlighted on the latent map: its label, and the sample ids drawn in the highlight colour. */
  mapHighlight?: () => { label: string | null; drawnIds: number[] };
}

declare global {
  interface Window {
    farpointAutomation?: AutomationHooks;
  }
}

export function automationHooks(): AutomationHooks {
  window.farpointAutomation ??= {};
  return window.farpointAutomation;
}
