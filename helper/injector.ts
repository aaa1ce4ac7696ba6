import { createRequire } from 'node:module';
import type { Combo, InputEvent } from '../protocol/index.js';
import { COMBO_KEYS, keyName } from './keymap.js';
import { loadAddon } from './native.js';

/** What the helper needs from the desktop: inject input, and read where the pointer is. */
export interface Injector {
  screen(): { width: number; height: number };
  pointer(): { x: number; y: number };
  /** Injects one event; returns the pointer position it left, for the priority check. */
  inject(event: InputEvent): { x: number; y: number } | null;
  /** Releases every key and button still held (on stop, so nothing stays stuck down). */
  releaseAll(): void;
}

interface Libnut {
  getScreenSize(): { width: number; height: number };
  getMousePos(): { x: number; y: number };
  moveMouse(x: number, y: number): void;
  mouseToggle(state: 'down' | 'up', button: 'left' | 'middle' | 'right'): void;
  scrollMouse(x: number, y: number): void;
  keyToggle(key: string, state: 'down' | 'up', modifiers?: string[]): void;
  setMouseDelay(ms: number): void;
  setKeyboardDelay(ms: number): void;
}

/** libnut's prebuilt package for this system (from the npm registry). */
const LIBNUT_PACKAGE = process.platform === 'win32' ? '@nut-tree-fork/libnut-win32' : process.platform === 'darwin' ? '@nut-tree-fork/libnut-darwin' : '@nut-tree-fork/libnut-linux';

/** Input through libnut: X11 XTEST on Linux (needs libxtst6), SendInput on Windows. */
export class LibnutInjector implements Injector {
  private readonly nut: Libnut;
  private readonly heldKeys = new Set<string>();
  private readonly heldButtons = new Set<'left' | 'middle' | 'right'>();

  constructor() {
    this.nut = loadAddon('libnut', () => createRequire(import.meta.url)(LIBNUT_PACKAGE) as Libnut);
    // libnut sleeps after each event by default; remote input must not.
    this.nut.setMouseDelay(0);
    this.nut.setKeyboardDelay(0);
  }

  screen() {
    return this.nut.getScreenSize();
  }

  pointer() {
    return this.nut.getMousePos();
  }

  inject(event: InputEvent): { x: number; y: number } | null {
    switch (event.k) {
      case 'move': {
        const { width, height } = this.screen();
        const x = Math.round(event.x * (width - 1));
        const y = Math.round(event.y * (height - 1));
        this.nut.moveMouse(x, y);
        return { x, y };
      }
      case 'button':
        this.nut.mouseToggle(event.down ? 'down' : 'up', event.button);
        if (event.down) this.heldButtons.add(event.button);
        else this.heldButtons.delete(event.button);
        return null;
      case 'wheel':
        this.nut.scrollMouse(event.dx, event.dy);
        return null;
      case 'key': {
        const key = keyName(event.code);
        if (!key) return null;
        this.nut.keyToggle(key, event.down ? 'down' : 'up');
        if (event.down) this.heldKeys.add(key);
        else this.heldKeys.delete(key);
        return null;
      }
      case 'combo':
        this.combo(event.combo);
        return null;
    }
  }

  releaseAll(): void {
    for (const key of this.heldKeys) this.nut.keyToggle(key, 'up');
    for (const button of this.heldButtons) this.nut.mouseToggle('up', button);
    this.heldKeys.clear();
    this.heldButtons.clear();
  }

  private combo(combo: Combo): void {
    const keys = COMBO_KEYS[combo];
    for (const key of keys) this.nut.keyToggle(key, 'down');
    for (const key of [...keys].reverse()) this.nut.keyToggle(key, 'up');
  }
}
