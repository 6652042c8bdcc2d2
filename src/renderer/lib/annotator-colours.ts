/** Colours for annotators' arrows (Okabe–Ito, colour-blind safe), orange left out: it is the final angle's, as in Annotate. */
export const ANNOTATOR_COLOURS = ['#56b4e9', '#009e73', '#cc79a7', '#f0e442', '#d55e00', '#0072b2', '#ffffff'];

export function annotatorColour(index: number): string {
  return ANNOTATOR_COLOURS[index % ANNOTATOR_COLOURS.length]!;
}
