import type { Combo } from '../protocol/index.js';

// KeyboardEvent.code (a physical key) → libnut key name. The customer's own keyboard layout then
// decides which character a key gives, as it would for their own keyboard (US-positioned codes).
const NAMED: Record<string, string> = {
  Enter: 'enter', NumpadEnter: 'enter', Backspace: 'backspace', Tab: 'tab', Escape: 'escape', Space: 'space',
  Delete: 'delete', Insert: 'insert', Home: 'home', End: 'end', PageUp: 'pageup', PageDown: 'pagedown',
  ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right',
  ShiftLeft: 'shift', ShiftRight: 'right_shift', ControlLeft: 'control', ControlRight: 'right_control',
  AltLeft: 'alt', AltRight: 'right_alt', MetaLeft: 'command', MetaRight: 'command', CapsLock: 'caps_lock',
  PrintScreen: 'printscreen', Pause: 'pause', ContextMenu: 'menu',
  Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Backslash: '\\', Semicolon: ';', Quote: "'",
  Backquote: '`', Comma: ',', Period: '.', Slash: '/', IntlBackslash: '\\',
  NumpadAdd: 'numpad_+', NumpadSubtract: 'numpad_-', NumpadMultiply: 'numpad_*', NumpadDivide: 'numpad_/', NumpadDecimal: 'numpad_.',
};

/** The libnut key for a physical key code, or null for keys we do not inject. */
export function keyName(code: string): string | null {
  if (NAMED[code]) return NAMED[code];
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return m[1].toLowerCase();
  m = /^Digit([0-9])$/.exec(code);
  if (m) return m[1];
  m = /^Numpad([0-9])$/.exec(code);
  if (m) return `numpad_${m[1]}`;
  m = /^F([1-9]|1[0-9]|2[0-4])$/.exec(code);
  if (m) return `f${m[1]}`;
  return null;
}

/** Each combo as the keys to hold, in order (released in reverse). */
export const COMBO_KEYS: Record<Combo, string[]> = {
  ctrlAltDelete: ['control', 'alt', 'delete'],
  altTab: ['alt', 'tab'],
  altF4: ['alt', 'f4'],
  super: ['command'],
  ctrlEscape: ['control', 'escape'],
  printScreen: ['printscreen'],
};
