// Modifier keys held back until it is known what they go with, so a console shortcut pressed while
// the remote screen has the keyboard (Alt+Shift+R: release control) never reaches the customer's
// computer, not even its Alt and Shift (on Windows, Alt+Shift alone switches the keyboard layout).
// Pure: tested in Node.

export const MODIFIER_CODES = new Set(['ShiftLeft', 'ShiftRight', 'AltLeft', 'AltRight', 'ControlLeft', 'ControlRight', 'MetaLeft', 'MetaRight']);

/**
 * A modifier's press is sent when the next thing it may go with happens (another key, a click, a
 * wheel: `flush()`) or when it is let go alone (then its press and release go together: Alt alone
 * still opens a menu). A key that is a console shortcut takes the held modifiers with it: none of
 * them, nor their releases, is sent.
 */
export class ModifierGate {
  private held: string[] = [];
  private readonly swallowed = new Set<string>();
  private readonly down = new Set<string>();

  constructor(private readonly send: (code: string, down: boolean) => void) {}

  keyDown(code: string, shortcut: boolean): void {
    if (shortcut) {
      for (const held of this.held) this.swallowed.add(held);
      this.held = [];
      this.swallowed.add(code);
      return;
    }
    if (MODIFIER_CODES.has(code)) {
      if (!this.held.includes(code) && !this.down.has(code) && !this.swallowed.has(code)) this.held.push(code);
      return;
    }
    this.flush();
    this.press(code);
  }

  keyUp(code: string): void {
    if (this.swallowed.delete(code)) return;
    if (this.held.includes(code)) this.flush();
    this.down.delete(code);
    this.send(code, false);
  }

  /** Before a click or a wheel: the held modifiers go first, as the analyst pressed them. */
  flush(): void {
    const held = this.held;
    this.held = [];
    for (const code of held) this.press(code);
  }

  private press(code: string): void {
    this.down.add(code);
    this.send(code, true);
  }
}
