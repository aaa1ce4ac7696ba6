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
  /**
   * Failures are forgotten after this long without a new one: long after the longest lock, or the
   * first failure after a long lock would count as fresh and the backoff would start over.
   */
  forgetAfterMs: number;
}

/** Each key of an attempt, with the failures it may have before it locks. */
export type ThrottleKey = { key: string; limit: number };

/**
 * Lock-out with exponential backoff after repeated failed sign-ins, counted per key (the user name,
 * and the client address). Once over the limit, each further failure doubles the lock, up to
 * maxLockMs. While locked, even the right password is refused, so guessing gains nothing.
 *
 * An attempt is counted as a failure when it starts (begin()), before the password hash, and
 * taken back if it succeeds: concurrent guesses cannot all pass the check while the first hashes
 * are still running (N at once from N addresses would otherwise get N tries per window).
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock, private readonly options: ThrottleOptions) {}

  /**
   * Starts an attempt: the milliseconds to wait if any key is locked (nothing is counted then),
   * else 0, and the attempt already counts as a failure of every key. Synchronous, so concurrent
   * attempts are counted one by one.
   */
  begin(keys: ThrottleKey[]): number {
    const wait = this.retryAfterMs(keys.map(({ key }) => key));
    if (wait > 0) return wait;
    for (const { key, limit } of keys) this.fail([key], limit);
    return 0;
  }

  /** The attempt begun with these keys succeeded: its reserved failure is taken back (and the lock it may have set). */
  forgive(keys: ThrottleKey[]): void {
    for (const { key, limit } of keys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      const failures = entry.failures - 1;
      if (failures <= 0) {
        this.entries.delete(key);
        continue;
      }
      const over = failures - limit;
      const lockedUntil = over >= 0 ? entry.lockedUntil : 0;
      this.entries.set(key, { ...entry, failures, lockedUntil });
    }
  }

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
