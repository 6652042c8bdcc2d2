import { adjustmentForKey, type AdjustmentChange } from './image-adjustments';

/** The annotation tool's keyboard path: one table drives both the handler and the "?" help. */
export type AnnotateAction =
  | { kind: 'nudge'; delta: number }
  | { kind: 'dial'; angle: number }
  | { kind: 'digit'; char: string }
  | { kind: 'save' }
  | { kind: 'skip' }
  | { kind: 'exclude' }
  | { kind: 'include' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'help' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'fit' }
  | { kind: 'close' }
  | { kind: 'adjust'; change: AdjustmentChange };

export const keyHelp: { keys: string; what: string }[] = [
  { keys: '← / →', what: 'turn 1° anticlockwise / clockwise' },
  { keys: 'Shift + ← / →', what: 'turn 10°' },
  { keys: 'Q / E', what: 'turn 45° anticlockwise / clockwise' },
  { keys: 'Shift + Q / E', what: 'turn 90° anticlockwise / clockwise' },
  { keys: 'F', what: 'flip: turn 180°' },
  { keys: 'Ctrl + ↑ / → / ↓ / ←', what: 'point up / right / down / left (0°, 90°, 180°, 270°)' },
  { keys: 'drag on the image', what: 'point the arrow at the pointer' },
  { keys: 'digits, anywhere', what: 'type an exact value (Enter saves it)' },
  { keys: 'Enter', what: 'save and go to the next in the queue' },
  { keys: 'S', what: 'skip: leave unlabeled, move on' },
  { keys: 'X', what: 'exclude from the pool (not worth a label)' },
  { keys: 'I', what: 'include an excluded sample in the pool again' },
  { keys: 'Backspace / Ctrl+Z', what: 'undo the last decision (save, skip, exclude, include; a propagation, clearing or keep-one in Duplicates)' },
  { keys: 'Shift+Backspace / Ctrl+Shift+Z', what: 'redo what was undone' },
  { keys: '+ / − / Z, wheel', what: 'zoom in / out / fit' },
  { keys: 'middle-drag, Space + drag', what: 'pan' },
  { keys: '?', what: 'show or hide these keys' },
];

export function actionForKey(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>): AnnotateAction | null {
  const mod = event.ctrlKey || event.metaKey;
  if (event.altKey) return null;
  if (/^[0-9.]$/.test(event.key)) return mod ? null : { kind: 'digit', char: event.key };
  switch (event.key) {
    case 'ArrowLeft':
      return mod ? { kind: 'dial', angle: 270 } : { kind: 'nudge', delta: event.shiftKey ? -10 : -1 };
    case 'ArrowRight':
      return mod ? { kind: 'dial', angle: 90 } : { kind: 'nudge', delta: event.shiftKey ? 10 : 1 };
    case 'ArrowUp':
      return mod ? { kind: 'dial', angle: 0 } : null;
    case 'ArrowDown':
      return mod ? { kind: 'dial', angle: 180 } : null;
    // Q and E, beside the left hand's other keys ([ and ] belong to the DICOM window).
    case 'q':
    case 'Q':
      return mod ? null : { kind: 'nudge', delta: event.shiftKey ? -90 : -45 };
    case 'e':
    case 'E':
      return mod ? null : { kind: 'nudge', delta: event.shiftKey ? 90 : 45 };
    case 'f':
    case 'F':
      return mod ? null : { kind: 'nudge', delta: 180 };
    case 'Enter':
      return mod ? null : { kind: 'save' };
    case 's':
    case 'S':
      return mod ? null : { kind: 'skip' };
    case 'x':
    case 'X':
      return mod ? null : { kind: 'exclude' };
    case 'i':
    case 'I':
      return mod ? null : { kind: 'include' };
    case 'Backspace':
      return mod ? null : { kind: event.shiftKey ? 'redo' : 'undo' };
    case 'y':
    case 'Y':
      return mod ? { kind: 'redo' } : null;
    case '?':
      return { kind: 'help' };
    case '+':
    case '=':
      return mod ? null : { kind: 'zoom', factor: 1.25 };
    case '-':
      return mod ? null : { kind: 'zoom', factor: 0.8 };
    case 'z':
    case 'Z':
      return mod ? { kind: event.shiftKey ? 'redo' : 'undo' } : { kind: 'fit' };
    case 'Escape':
      return { kind: 'close' };
    default: {
      // The display adjustments (image-adjustments.ts) take the letters nothing above uses.
      const change = mod ? null : adjustmentForKey(event);
      return change ? { kind: 'adjust', change } : null;
    }
  }
}
