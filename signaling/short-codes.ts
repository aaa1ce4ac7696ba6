import { randomInt } from 'node:crypto';
import type { Clock } from './clock.js';
import { PHONE_CODE_TTL_MS } from '../protocol/index.js';
import type { RedisLink } from './redis/link.js';

/**
 * Six-digit codes that stand for a ticket for a while: the helper's pairing code
 * (helper-pairing.ts) and the code an analyst reads to a caller (phone-codes.ts). Random, single
 * use, valid for `ttlMs`, one live code per ticket (a new one replaces it). Guessing is bounded
 * whatever the number of addresses: every live code is burned once `burnAfter` wrong codes have
 * been tried, from anywhere, since it was issued; its owner gets a new one. A guesser so has at
 * most `burnAfter` tries at any code: `burnAfter` chances in 1,000,000.
 */
export interface ShortCodes {
  /** A new code for the ticket, replacing its previous one. */
  issue(ticketId: string): Promise<{ code: string; expiresAt: number }>;
  /** The ticket a code belongs to, consuming the code; null when unknown or expired. */
  redeem(code: string): Promise<string | null>;
  /** Whether `code` is the live code of `ticketId` (not used, not expired, not replaced). Consumes nothing. */
  isLive(code: string, ticketId: string): Promise<boolean>;
  /** A wrong code was tried: the tickets whose live codes are now burned (they need new ones). */
  recordFailure(): Promise<string[]>;
  revoke(ticketId: string): Promise<void>;
}

export interface ShortCodeOptions {
  ttlMs: number;
  burnAfter: number;
  /** The codes' own names in Redis (one namespace per kind of code). */
  namespace: string;
}

export const SHORT_CODE_PATTERN = /^\d{6}$/;

/**
 * The codes an analyst reads to a caller. Burned after 90 wrong codes tried since their issue, from
 * anywhere: a guesser has at most 90 tries in 1,000,000 at a given code (9 × 10⁻⁵, under 1 in 10⁴),
 * however many addresses it uses and however long the code lives. The per-address limit (10 tries
 * a minute) slows one guesser down; the total limit (120 a minute for the whole service) keeps a
 * guesser spread over many addresses from burning every live code more often than every 45 s.
 */
export const PHONE_CODES: ShortCodeOptions = { ttlMs: PHONE_CODE_TTL_MS, burnAfter: 90, namespace: 'phone' };
export const PHONE_CODE_TRIES_PER_MINUTE = 10;
export const PHONE_CODE_TRIES_PER_MINUTE_TOTAL = 120;
const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** One node: in memory. */
export class MemoryShortCodes implements ShortCodes {
  private readonly byCode = new Map<string, { ticketId: string; expiresAt: number; failuresAtIssue: number }>();
  private readonly byTicket = new Map<string, string>();
  private failures = 0;

  constructor(private readonly clock: Clock, private readonly options: ShortCodeOptions) {}

  async issue(ticketId: string): Promise<{ code: string; expiresAt: number }> {
    await this.revoke(ticketId);
    let code: string;
    do code = newCode();
    while (this.byCode.has(code));
    const expiresAt = this.clock.now() + this.options.ttlMs;
    this.byCode.set(code, { ticketId, expiresAt, failuresAtIssue: this.failures });
    this.byTicket.set(ticketId, code);
    return { code, expiresAt };
  }

  async redeem(code: string): Promise<string | null> {
    const entry = this.byCode.get(code);
    if (!entry) return null;
    this.byCode.delete(code);
    this.byTicket.delete(entry.ticketId);
    return entry.expiresAt > this.clock.now() ? entry.ticketId : null;
  }

  async isLive(code: string, ticketId: string): Promise<boolean> {
    const entry = this.byCode.get(code);
    return !!entry && entry.ticketId === ticketId && entry.expiresAt > this.clock.now();
  }

  async recordFailure(): Promise<string[]> {
    this.failures += 1;
    const burned: string[] = [];
    const now = this.clock.now();
    for (const [code, entry] of this.byCode) {
      // Expired ones go quietly, whatever their count: nobody waits for them.
      if (entry.expiresAt <= now) {
        this.byCode.delete(code);
        if (this.byTicket.get(entry.ticketId) === code) this.byTicket.delete(entry.ticketId);
        continue;
      }
      if (this.failures - entry.failuresAtIssue < this.options.burnAfter) continue;
      this.byCode.delete(code);
      this.byTicket.delete(entry.ticketId);
      burned.push(entry.ticketId);
    }
    return burned;
  }

  async revoke(ticketId: string): Promise<void> {
    const code = this.byTicket.get(ticketId);
    if (code) this.byCode.delete(code);
    this.byTicket.delete(ticketId);
  }
}

/** Several nodes: a code issued on one is redeemed on any. Redis expires the codes. */
export class RedisShortCodes implements ShortCodes {
  constructor(private readonly link: RedisLink, private readonly clock: Clock, private readonly options: ShortCodeOptions) {}

  private key(name: string): string {
    return this.link.key(`${this.options.namespace}${name}`);
  }

  async issue(ticketId: string): Promise<{ code: string; expiresAt: number }> {
    await this.revoke(ticketId);
    const { ttlMs } = this.options;
    for (;;) {
      const code = newCode();
      // NX: never overwrite another ticket's live code.
      if (await this.link.cmd.set(this.key(`:${code}`), ticketId, 'PX', ttlMs, 'NX')) {
        await this.link.cmd.set(this.key(`ticket:${ticketId}`), code, 'PX', ttlMs);
        // Live codes by the failure count at their issue (shared by all nodes): recordFailure() burns the old ones.
        const failures = Number((await this.link.cmd.get(this.key('fail'))) ?? 0);
        await this.link.cmd.zadd(this.key('live'), failures, code);
        return { code, expiresAt: this.clock.now() + ttlMs };
      }
    }
  }

  async redeem(code: string): Promise<string | null> {
    const ticketId = await this.link.cmd.getdel(this.key(`:${code}`));
    if (ticketId) await this.link.cmd.del(this.key(`ticket:${ticketId}`));
    await this.link.cmd.zrem(this.key('live'), code);
    return ticketId;
  }

  async isLive(code: string, ticketId: string): Promise<boolean> {
    return (await this.link.cmd.get(this.key(`:${code}`))) === ticketId;
  }

  async recordFailure(): Promise<string[]> {
    const failures = await this.link.cmd.incr(this.key('fail'));
    const due = await this.link.cmd.zrangebyscore(this.key('live'), '-inf', failures - this.options.burnAfter);
    const burned: string[] = [];
    for (const code of due) {
      // Whichever node removes it from the set burns it (and tells its owner): once.
      if ((await this.link.cmd.zrem(this.key('live'), code)) === 0) continue;
      const ticketId = await this.link.cmd.getdel(this.key(`:${code}`));
      if (!ticketId) continue; // expired meanwhile
      await this.link.cmd.del(this.key(`ticket:${ticketId}`));
      burned.push(ticketId);
    }
    return burned;
  }

  async revoke(ticketId: string): Promise<void> {
    const code = await this.link.cmd.getdel(this.key(`ticket:${ticketId}`));
    if (code) {
      await this.link.cmd.del(this.key(`:${code}`));
      await this.link.cmd.zrem(this.key('live'), code);
    }
  }
}
