// The console's keyboard shortcuts. Alt+Shift with a letter (by the key's place, e.code, so any
// keyboard layout works) reaches the console even while the remote screen has the keyboard for
// remote control; "?" and the zoom keys only when nothing else wants the key.

export type ShortcutAction = 'takeOldest' | 'fullScreen' | 'releaseControl' | 'endSession' | 'help' | 'zoomFit' | 'zoomActual' | 'zoomIn' | 'zoomOut';

/** Alt+Shift+<code>: works everywhere in the console, remote control included. */
export const COMMAND_KEYS: Record<string, ShortcutAction> = {
  KeyT: 'takeOldest',
  KeyF: 'fullScreen',
  KeyR: 'releaseControl',
  KeyE: 'endSession',
  Digit0: 'zoomFit',
  Digit1: 'zoomActual',
  Equal: 'zoomIn',
  Minus: 'zoomOut',
};

/** In the order the help lists them, with the keys as the help shows them. */
export const SHORTCUT_HELP: Array<{ action: ShortcutAction; keys: string }> = [
  { action: 'takeOldest', keys: 'Alt+Shift+T' },
  { action: 'fullScreen', keys: 'Alt+Shift+F' },
  { action: 'zoomFit', keys: 'Alt+Shift+0' },
  { action: 'zoomActual', keys: 'Alt+Shift+1' },
  { action: 'zoomIn', keys: 'Alt+Shift+= / +' },
  { action: 'zoomOut', keys: 'Alt+Shift+- / -' },
  { action: 'releaseControl', keys: 'Alt+Shift+R' },
  { action: 'endSession', keys: 'Alt+Shift+E' },
  { action: 'help', keys: '?' },
];

export interface KeyLike {
  key: string;
  code: string;
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * The shortcut a key press stands for, or null. `typing`: the focus is in a field (a "?" there is a
 * question mark). `controlling`: the remote screen has the keyboard (its keys go to the customer).
 */
export function shortcutOf(event: KeyLike, where: { typing: boolean; controlling: boolean }): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey) return null;
  if (event.altKey && event.shiftKey) return COMMAND_KEYS[event.code] ?? null;
  if (event.altKey || where.typing || where.controlling) return null;
  if (event.key === '?') return 'help';
  if (event.key === '+') return 'zoomIn';
  if (event.key === '-') return 'zoomOut';
  return null;
}

/** Whether the element takes text (so its keys are not shortcuts). */
export function isTyping(element: Element | null): boolean {
  if (!element) return false;
  const tag = element.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (element as HTMLElement).isContentEditable === true;
}
