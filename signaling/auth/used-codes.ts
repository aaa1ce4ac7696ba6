import type { Clock } from '../clock.js';

/**
 * One-time codes already used (a TOTP step, a recovery code), so that each is accepted once: in
 * this node's memory, or in Redis for every node (redis/redis-counters.ts). claim() is atomic.
 */
export interface UsedCodes {
  /** True the first time `key` is claimed; false while an earlier claim lasts (`ttlMs`). */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export class MemoryUsedCodes implements UsedCodes {
  private readonly used = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const until = this.used.get(key);
    if (until !== undefined && until > now) return false;
    this.used.set(key, now + ttlMs);
    if (this.used.size > 10_000) for (const [k, t] of this.used) if (t <= now) this.used.delete(k);
    return true;
  }
}
