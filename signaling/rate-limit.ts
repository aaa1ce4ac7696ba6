import type { Clock } from './clock.js';

/**
 * Requests per key (client address) per fixed one-minute window. Small and in memory: each node
 * limits what it sees, which is what protects it.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock, private readonly perMinute: number, private readonly windowMs = 60_000) {}

  /** Counts one request; returns the milliseconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 50_000) this.prune(now);
    }
    window.count += 1;
    return window.count > this.perMinute ? window.start + this.windowMs - now : 0;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

/** Token bucket for one WebSocket connection: `rate` frames per second, bursts up to twice that. */
export class FrameBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly now: () => number) {
    this.tokens = rate * 2;
    this.last = now();
  }

  take(): boolean {
    const at = this.now();
    this.tokens = Math.min(this.rate * 2, this.tokens + ((at - this.last) / 1000) * this.rate);
    this.last = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
