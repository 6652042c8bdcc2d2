/** Space around the plot area for tick labels and axis titles, in pixels. */
export interface PlotMargin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** One labelled tick: its data value (the key), where it sits along the axis in plot pixels, and its text. */
export interface AxisTick {
  value: number;
  at: number;
  label: string;
}

/** Ticks of a d3 scale (anything that maps a value to pixels) with their labels; labels that come out empty are dropped. */
export function axisTicks(values: readonly number[], scale: (value: number) => number, format: (value: number) => string): AxisTick[] {
  return values.map((value) => ({ value, at: scale(value), label: format(value) })).filter((t) => t.label !== '');
}
