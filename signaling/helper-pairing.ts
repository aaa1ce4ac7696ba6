import { randomInt } from 'node:crypto';
import type { Clock } from './clock.js';
import type { RedisLink } from './redis/link.js';

/**
 * Short pairing codes that let a customer's helper join their ticket. Six random digits, single
 * use, valid for the TTL, one live code per ticket (asking again replaces it). Guessing is bounded
 * by the helper endpoint's per-address rate limit: 10 tries a minute against 10^6 codes.
 */
export interface HelperPairing {
  issue(ticketId: string): Promise<{ code: string; expiresAt: number }>;
  /** The ticket a code belongs to, consuming the code; null when unknown or expired. */
  redeem(code: string): Promise<string | null>;
  revoke(ticketId: string): Promise<void>;
}

const PAIRING_TTL_MS = 2 * 60_000;
const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** One node: in memory. */
export class MemoryHelperPairing implements HelperPairing {
  private readonly byCode = new Map<string, { ticketId: string; expiresAt: number }>();
  private readonly byTicket = new Map<string, string>();

  constructor(private readonly clock: Clock, private readonly ttlMs = PAIRING_TTL_MS) {}

  async issue(ticketId: string): Promise<{ code: string; expiresAt: number }> {
    await this.revoke(ticketId);
    let code: string;
    do code = newCode();
    while (this.byCode.has(code));
    const expiresAt = this.clock.now() + this.ttlMs;
    this.byCode.set(code, { ticketId, expiresAt });
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

  async revoke(ticketId: string): Promise<void> {
    const code = this.byTicket.get(ticketId);
    if (code) this.byCode.delete(code);
    this.byTicket.delete(ticketId);
  }
}

/** Several nodes: the helper may reach another node than the customer's page. Redis expires codes. */
export class RedisHelperPairing implements HelperPairing {
  constructor(private readonly link: RedisLink, private readonly clock: Clock, private readonly ttlMs = PAIRING_TTL_MS) {}

  async issue(ticketId: string): Promise<{ code: string; expiresAt: number }> {
    await this.revoke(ticketId);
    for (;;) {
      const code = newCode();
      // NX: never overwrite another ticket's live code.
      if (await this.link.cmd.set(this.link.key(`pair:${code}`), ticketId, 'PX', this.ttlMs, 'NX')) {
        await this.link.cmd.set(this.link.key(`pairticket:${ticketId}`), code, 'PX', this.ttlMs);
        return { code, expiresAt: this.clock.now() + this.ttlMs };
      }
    }
  }

  async redeem(code: string): Promise<string | null> {
    const ticketId = await this.link.cmd.getdel(this.link.key(`pair:${code}`));
    if (ticketId) await this.link.cmd.del(this.link.key(`pairticket:${ticketId}`));
    return ticketId;
  }

  async revoke(ticketId: string): Promise<void> {
    const code = await this.link.cmd.getdel(this.link.key(`pairticket:${ticketId}`));
    if (code) await this.link.cmd.del(this.link.key(`pair:${code}`));
  }
}
