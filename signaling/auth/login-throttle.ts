import type { Clock } from '../clock.js';

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
 *
 * In memory for one node (MemoryLoginThrottle); shared by every node through Redis when there is
 * one (redis/redis-counters.ts), or N nodes would give an attacker N times the guesses. Each call
 * is atomic: concurrent attempts on any nodes are counted one by one.
 */
export interface LoginThrottle {
  /**
   * Starts an attempt: the milliseconds to wait if any key of `count` or of `checkOnly` is locked
   * (nothing is counted then), else 0, and the attempt already counts as a failure of each key of
   * `count`. The keys of `checkOnly` count failures only (fail()).
   */
  begin(count: ThrottleKey[], checkOnly?: string[]): Promise<number>;
  /** The attempt begun with these keys succeeded or was never checked: its reserved failure is taken back (and the lock it may have set). */
  forgive(keys: ThrottleKey[]): Promise<void>;
  /** One failure for each key. */
  fail(keys: ThrottleKey[]): Promise<void>;
  /** Milliseconds until these keys may try again, 0 when they may now. */
  retryAfterMs(keys: string[]): Promise<number>;
  /** The count of these keys starts over. */
  succeed(keys: string[]): Promise<void>;
}

/** One key's state: what the Redis version keeps in a hash, with the same rules. */
export interface ThrottleEntry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** The entry after one more failure at `now`. */
export function failedEntry(entry: ThrottleEntry | undefined, limit: number, now: number, options: ThrottleOptions): ThrottleEntry {
  const fresh = !entry || now - entry.lastFailureAt > options.forgetAfterMs;
  const next: ThrottleEntry = fresh ? { failures: 1, lastFailureAt: now, lockedUntil: 0 } : { ...entry, failures: entry.failures + 1, lastFailureAt: now };
  const over = next.failures - limit;
  if (over >= 0) next.lockedUntil = now + Math.min(options.maxLockMs, options.lockMs * 2 ** over);
  return next;
}

/** The entry with one failure taken back (undefined: nothing left to remember). */
export function forgivenEntry(entry: ThrottleEntry, limit: number): ThrottleEntry | undefined {
  const failures = entry.failures - 1;
  if (failures <= 0) return undefined;
  return { ...entry, failures, lockedUntil: failures - limit >= 0 ? entry.lockedUntil : 0 };
}

/** The lock-out of one node, in memory. */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly entries = new Map<string, ThrottleEntry>();

  constructor(private readonly clock: Clock, private readonly options: ThrottleOptions) {}

  async begin(count: ThrottleKey[], checkOnly: string[] = []): Promise<number> {
    const wait = this.waitFor([...count.map(({ key }) => key), ...checkOnly]);
    if (wait > 0) return wait;
    this.failNow(count);
    return 0;
  }

  async forgive(keys: ThrottleKey[]): Promise<void> {
    for (const { key, limit } of keys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      const next = forgivenEntry(entry, limit);
      if (next) this.entries.set(key, next);
      else this.entries.delete(key);
    }
  }

  async fail(keys: ThrottleKey[]): Promise<void> {
    this.failNow(keys);
  }

  async retryAfterMs(keys: string[]): Promise<number> {
    return this.waitFor(keys);
  }

  async succeed(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  private waitFor(keys: string[]): number {
    const now = this.clock.now();
    return Math.max(0, ...keys.map((key) => (this.entries.get(key)?.lockedUntil ?? 0) - now));
  }

  private failNow(keys: ThrottleKey[]): void {
    const now = this.clock.now();
    for (const { key, limit } of keys) this.entries.set(key, failedEntry(this.entries.get(key), limit, now, this.options));
    if (this.entries.size > 10_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.lastFailureAt > this.options.forgetAfterMs && entry.lockedUntil <= now) this.entries.delete(key);
    }
  }
}
