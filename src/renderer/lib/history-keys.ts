/**
 * Undo and redo keys outside Annotate (whose own table, annotate-keys.ts,
 * has the same ones): Backspace / Shift+Backspace, Ctrl+Z / Ctrl+Shift+Z
 * and Ctrl+Y (Cmd on a Mac).
 */
export function historyKeyFor(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>): 'undo' | 'redo' | null {
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

/** Keys typed into a field or a list stay with it: Backspace there deletes text, it does not undo. */
export function isTextEntry(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}
