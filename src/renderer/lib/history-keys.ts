/** The parts of a KeyboardEvent the key tables read (no DOM types: the unit tests run in Node with plain objects). */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * Undo and redo keys outside Annotate (whose own table, annotate-keys.ts,
 * has the same ones): Backspace / Shift+Backspace, Ctrl+Z / Ctrl+Shift+Z
 * and Ctrl+Y (Cmd on a Mac).
 */
export function historyKeyFor(event: KeyPress): 'undo' | 'redo' | null {
  if (event.altKey) return null;
  const mod = event.ctrlKey || event.metaKey;
  switch (event.key) {
    case 'Backspace':
      return mod ? null : event.shiftKey ? 'redo' : 'undo';
    case 'z':
    case 'Z':
      return mod ? (event.shiftKey ? 'redo' : 'undo') : null;
    case 'y':
    case 'Y':
      return mod ? 'redo' : null;
    default:
      return null;
  }
}

