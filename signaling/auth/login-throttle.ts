import type { Clock } from '../clock.js';

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export interface ThrottleOptions {
  failuresBeforeLock: number;
  lockMs: number;
  maxLockMs: number;
  /** Failures are forgotten after this long without a new one. */
  forgetAfterMs: number;
}

/**
 * Lock-out with exponential backoff after repeated failed sign-ins, counted per key (the user name,
 * and the client address). Once over the limit, each further failure doubles the lock, up to
 * maxLockMs. While locked, even the right password is refused, so guessing gains nothing.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock, private readonly options: ThrottleOptions) {}

  /** Milliseconds until these keys may try again, 0 when they may now. */
  retryAfterMs(keys: string[]): number {
    const now = this.clock.now();
    return Math.max(0, ...keys.map((key) => (this.entries.get(key)?.lockedUntil ?? 0) - now));
  }

  fail(keys: string[], failuresBeforeLock = this.options.failuresBeforeLock): void {
    const now = this.clock.now();
    for (const key of keys) {
      const entry = this.entries.get(key);
      const fresh = !entry || now - entry.lastFailureAt > this.options.forgetAfterMs;
      const next: Entry = fresh ? { failures: 1, lastFailureAt: now, lockedUntil: 0 } : { ...entry, failures: entry.failures + 1, lastFailureAt: now };
      const over = next.failures - failuresBeforeLock;
      if (over >= 0) next.lockedUntil = now + Math.min(this.options.maxLockMs, this.options.lockMs * 2 ** over);
      this.entries.set(key, next);
    }
    if (this.entries.size > 10_000) this.prune(now);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailureAt > this.options.forgetAfterMs && entry.lockedUntil <= now) this.entries.delete(key);
    }
  }
}
