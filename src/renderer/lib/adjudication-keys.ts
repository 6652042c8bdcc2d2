import type { KeyPress } from './history-keys';

/** The adjudication view's keyboard path: one table drives both the handler and the on-screen key help. */
export type AdjudicateAction =
  | { kind: 'choose'; index: number }
  | { kind: 'nudge'; delta: number }
  | { kind: 'accept' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'undo' }
  | { kind: 'type' }
  | { kind: 'close' };

export const adjudicateKeyHelp: { keys: string; what: string }[] = [
  { keys: '1 – 9, or click', what: "take that annotator's angle" },
  { keys: 'drag on the image', what: 'set the final angle yourself' },
  { keys: '← / → (Shift: 10°)', what: 'turn the final angle 1°' },
  { keys: 'T', what: 'type the final angle' },
  { keys: 'Enter', what: 'store the final angle, go to the next open conflict' },
  { keys: 'N / P', what: 'next / previous conflict without storing' },
  { keys: 'Backspace / Ctrl+Z', what: 'undo the last adjudication' },
  { keys: 'Esc', what: 'back to the overview' },
];


export function adjudicateActionFor(event: KeyPress): AdjudicateAction | null {
  // Alt+digit belongs to the shell's tab switching.
  if (event.altKey) return null;
  const mod = event.ctrlKey || event.metaKey;
  if (/^[1-9]$/.test(event.key)) return mod ? null : { kind: 'choose', index: Number(event.key) - 1 };
  switch (event.key) {
    case 'ArrowLeft':
      return mod ? null : { kind: 'nudge', delta: event.shiftKey ? -10 : -1 };
    case 'ArrowRight':
      return mod ? null : { kind: 'nudge', delta: event.shiftKey ? 10 : 1 };
    case 'Enter':
      return mod ? null : { kind: 'accept' };
    case 'n':
    case 'N':
    case 'PageDown':
      return mod ? null : { kind: 'next' };
    case 'p':
    case 'P':
    case 'PageUp':
      return mod ? null : { kind: 'previous' };
    case 'Backspace':
      return mod ? null : { kind: 'undo' };
    case 'z':
    case 'Z':
      return mod && !event.shiftKey ? { kind: 'undo' } : null;
    case 't':
    case 'T':
      return mod ? null : { kind: 'type' };
    case 'Escape':
      return { kind: 'close' };
    default:
      return null;
  }
}
