// A hostile page on the other end can send chat, pushed links and file offers as fast as its data
// channel goes; each one costs this page a render. Token buckets per kind bound what is taken in;
// the rest is dropped (and the log says so, once in a while). No DOM types: unit-tested in Node.

export type FloodKind = 'chat' | 'pushedLink' | 'fileOffer';

/** Sustained rate and burst per kind: far above what a person types or clicks. */
export const FLOOD_LIMITS: Record<FloodKind, { perSecond: number; burst: number }> = {
  chat: { perSecond: 5, burst: 20 },
  pushedLink: { perSecond: 1, burst: 5 },
  fileOffer: { perSecond: 2, burst: 10 },
};

/** How often the log may say that messages were dropped. */
export const FLOOD_NOTICE_EVERY_MS = 10_000;

export class FloodGuard {
  private readonly buckets = new Map<FloodKind, { tokens: number; at: number }>();
  private lastNotice = -Infinity;
  /** Messages dropped so far. */
  dropped = 0;

  constructor(private readonly now: () => number = () => performance.now(), private readonly limits = FLOOD_LIMITS) {}

  /** Whether one more message of `kind` is taken in now. */
  allow(kind: FloodKind): boolean {
    const { perSecond, burst } = this.limits[kind];
    const now = this.now();
    const bucket = this.buckets.get(kind) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(kind, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.dropped += 1;
    return false;
  }

  /** True at most once per FLOOD_NOTICE_EVERY_MS, when something was dropped: time to tell the person. */
  shouldNotice(): boolean {
    if (this.now() - this.lastNotice < FLOOD_NOTICE_EVERY_MS) return false;
    this.lastNotice = this.now();
    return true;
  }
}
