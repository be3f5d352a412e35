/**
 * The keyboard shortcuts: the supervisor console's set (its MainView accelerators), as a web page
 * can have them. The browser keeps Ctrl+F (find), Ctrl+1–6 (tabs) and Ctrl+N (a window) for
 * itself, so those become single keys, as in most web apps: `/` searches, `1`–`6` pick the status
 * filter, `N` starts a call. Alt+Q, Alt+A, Ctrl+K and Ctrl+Shift+K work as in the console, and so do
 * their single keys. None of them acts while the supervisor types in a field (Escape there belongs
 * to the field); Escape elsewhere closes the call panel, or else clears the filters.
 */
import type { CallStatus } from './wire';

export type Shortcut =
  | { kind: 'search' }
  | { kind: 'status'; status: CallStatus[] }
  | { kind: 'queue' }
  | { kind: 'agent' }
  | { kind: 'ack' }
  | { kind: 'ack_all' }
  | { kind: 'new_call' }
  | { kind: 'escape' }
  | { kind: 'help' };

/** The console's status filters in its order (Live, Waiting, Active, On hold, Ended, All), as the web's status chips. */
export const STATUS_KEYS: readonly { label: string; status: CallStatus[] }[] = [
  { label: 'Live (not ended)', status: ['waiting', 'active', 'on_hold'] },
  { label: 'Waiting', status: ['waiting'] },
  { label: 'Active', status: ['active'] },
  { label: 'On hold', status: ['on_hold'] },
  { label: 'Ended', status: ['ended'] },
  { label: 'All', status: [] },
];

/** What the help lists: the keys, and what they do. */
export const SHORTCUT_HELP: readonly [keys: string, what: string][] = [
  ['/', 'Search a call id'],
  ['1 – 6', `Show calls: ${STATUS_KEYS.map((s, i) => `${i + 1} ${s.label.toLowerCase()}`).join(', ')}`],
  ['Q  or  Alt+Q', 'Filter by queue'],
  ['A  or  Alt+A', 'Filter by agent'],
  ['K  or  Ctrl+K', "Acknowledge the open call's alert, else the newest alert"],
  ['Shift+K  or  Ctrl+Shift+K', 'Acknowledge all the alerts shown'],
  ['N', 'New call (simulator; admin)'],
  ['Esc', 'Close the call panel, else clear the filters'],
  ['?', 'This list'],
];

/** A key press, as much of it as decides a shortcut. */
export interface KeyPress {
  key: string;
  /** the physical key (`KeyQ`): Alt+Q types another character on some layouts */
  code: string;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
  /** the focus is in a text field, a list box or something editable */
  typing: boolean;
}

export function keyPressOf(e: KeyboardEvent): KeyPress {
  return { key: e.key, code: e.code, ctrl: e.ctrlKey, meta: e.metaKey, alt: e.altKey, shift: e.shiftKey, typing: isTyping(e.target) };
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // a checkbox or radio button takes no text: the keys stay shortcuts there
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

/** The shortcut a key press means, or null (the browser or the field keeps it). */
export function shortcutOf(k: KeyPress): Shortcut | null {
  if (k.typing) return null;
  const command = k.ctrl || k.meta;
  if (command && !k.alt && k.code === 'KeyK') return { kind: k.shift ? 'ack_all' : 'ack' };
  if (command) return null;
  if (k.alt) {
    if (k.shift) return null;
    return k.code === 'KeyQ' ? { kind: 'queue' } : k.code === 'KeyA' ? { kind: 'agent' } : null;
  }
  if (k.key === 'Escape') return { kind: 'escape' };
  if (k.key === '?') return { kind: 'help' };
  if (k.key === '/') return { kind: 'search' };
  if (/^[1-6]$/.test(k.key)) return { kind: 'status', status: [...STATUS_KEYS[Number(k.key) - 1]!.status] };
  switch (k.key) {
    case 'q':
      return { kind: 'queue' };
    case 'a':
      return { kind: 'agent' };
    case 'k':
      return { kind: 'ack' };
    case 'K':
      return { kind: 'ack_all' };
    case 'n':
      return { kind: 'new_call' };
    default:
      return null;
  }
}
