import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import type { RedisLink } from './redis/link.js';

/** How long after its session the customer may rate it. */
export const RATING_TTL_MS = 30 * 60_000;

/** What a rating is for: the session, its queue (the metrics' label) and the analyst's console to tell. */
export interface RatingSlot {
  sessionId: string;
  queue: string;
  analystConnection: string | null;
}

/**
 * One rating per ended session: the customer's page gets an unguessable token with the ended
 * status and may spend it once, within RATING_TTL_MS (the session's record itself is gone at its
 * end). Only the slot is kept; the score goes to the analyst's console and to a counter, the
 * comment only to the analyst's console.
 */
export interface RatingSlots {
  /** Makes the slot and returns its token at once (with Redis the write follows; a person takes seconds to rate). */
  open(slot: RatingSlot): string;
  /** The slot, once: a second take of the same token gets null. */
  take(token: string): Promise<RatingSlot | null>;
}

const newToken = () => randomBytes(18).toString('base64url');

export class MemoryRatingSlots implements RatingSlots {
  private readonly slots = new Map<string, { slot: RatingSlot; until: number }>();

  constructor(private readonly clock: Clock) {}

  open(slot: RatingSlot): string {
    const now = this.clock.now();
    // Forget the expired ones as new ones come (no timer to own).
    for (const [token, kept] of this.slots) if (kept.until <= now) this.slots.delete(token);
    const token = newToken();
    this.slots.set(token, { slot, until: now + RATING_TTL_MS });
    return token;
  }

  async take(token: string): Promise<RatingSlot | null> {
    const kept = this.slots.get(token);
    this.slots.delete(token);
    return kept && kept.until > this.clock.now() ? kept.slot : null;
  }
}

export class RedisRatingSlots implements RatingSlots {
  constructor(private readonly link: RedisLink) {}

  open(slot: RatingSlot): string {
    const token = newToken();
    void this.link.cmd.set(this.link.key(`rating:${token}`), JSON.stringify(slot), 'PX', RATING_TTL_MS).catch(() => undefined);
    return token;
  }

  async take(token: string): Promise<RatingSlot | null> {
    // GETDEL: two nodes taking the same token at once, one gets it.
    const raw = await this.link.cmd.getdel(this.link.key(`rating:${token}`));
    return raw ? (JSON.parse(raw) as RatingSlot) : null;
  }
}
