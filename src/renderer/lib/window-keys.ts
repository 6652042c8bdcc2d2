/** Window/level keys in Annotate, kept apart from the labeling keys (annotate-keys.ts) so neither table shadows the other. */
export type WindowKey = 'wider' | 'narrower' | 'brighter' | 'darker' | 'auto';

export const windowKeyHelp: { keys: string; what: string }[] = [
  { keys: '[ / ]', what: 'DICOM window narrower / wider (Shift: finer)' },
  { keys: "; / '", what: 'DICOM image brighter / darker (level)' },
  { keys: '\\', what: "back to the file's own window" },
  { keys: 'drag the W/L pad', what: 'right: wider, down: darker' },
];

export function windowKeyFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): WindowKey | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case '[':
    case '{':
      return 'narrower';
    case ']':
    case '}':
      return 'wider';
    case ';':
    case ':':
      return 'brighter';
    case "'":
    case '"':
      return 'darker';
    case '\\':
    case '|':
      return 'auto';
    default:
      return null;
  }
}
