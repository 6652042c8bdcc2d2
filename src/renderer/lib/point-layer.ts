/** The points a scatter map draws: what the renderer draws and the map index is built over (apart from both, which use each other's parts). */
export interface PointLayer {
  /** Data coordinates, one entry per point. */
  xs: Float32Array;
  ys: Float32Array;
  /** Category of each point (index into `styles`). */
  category: Uint8Array;
  /** Per category: colour as 0xRRGGBB and square side in CSS pixels; 0 hides the category. Later categories draw on top. */
  styles: { color: number; size: number }[];
}
