import { spawn } from 'node:child_process';

// The customer's own key presses, for their priority (priority.ts): on X11, the XInput2 raw key
// events of the master keyboard, read from Debian's `xinput test-xi2` (package xinput). Raw
// events include the keys this helper injects itself (XTEST), so the helper counts its own key
// presses and takes each raw press it did not just make as the customer's.

/** Own presses are matched to raw events within this time (the X server reports them in a few ms). */
export const OWN_KEY_WINDOW_MS = 250;

export class LocalKeys {
  private own = 0;
  private lastOwnAt = -Infinity;

  constructor(private readonly now: () => number) {}

  /** The helper just pressed `count` keys (a key down, or the keys of a combination). */
  injected(count: number): void {
    this.own += count;
    this.lastOwnAt = this.now();
  }

  /** A raw key press seen on the X server: true when it is the customer's. */
  rawPress(): boolean {
    if (this.own > 0 && this.now() - this.lastOwnAt < OWN_KEY_WINDOW_MS) {
      this.own -= 1;
      return false;
    }
    this.own = 0; // anything not matched in time is stale
    return true;
  }
}

/** Splits `xinput test-xi2` output into raw key presses; keeps the unfinished tail for the next chunk. */
export function rawKeyPresses(buffer: string): { presses: number; rest: string } {
  const lines = buffer.split('\n');
  const rest = lines.pop() ?? '';
  return { presses: lines.filter((line) => /^EVENT type 13 \(RawKeyPress\)/.test(line)).length, rest };
}

/**
 * Watches the X server's raw key presses; null (with the reason) when `xinput` is missing: the
 * customer's priority then covers the mouse only.
 */
export function watchRawKeys(onPress: () => void): Promise<{ stop(): void } | { unavailable: string }> {
  return new Promise((resolve) => {
    // The master keyboard only: its raw key events come from every keyboard (XTEST included), and
    // the pointer's motion, which would be thousands of lines a second during control, is left out.
    const child = spawn('xinput', ['test-xi2', '--root', 'Virtual core keyboard'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let buffer = '';
    child.once('error', (err) => resolve({ unavailable: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'xinput is not installed' : err.message }));
    child.once('spawn', () => resolve({ stop: () => child.kill() }));
    child.stdout.on('data', (chunk: Buffer) => {
      const { presses, rest } = rawKeyPresses(buffer + chunk.toString('utf8'));
      buffer = rest;
      for (let i = 0; i < presses; i++) onPress();
    });
  });
}
