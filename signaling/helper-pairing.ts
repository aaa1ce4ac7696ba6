import { randomInt } from 'node:crypto';
import type { Clock } from './clock.js';

/**
 * Short pairing codes that let a customer's helper join their ticket. Six random digits, single
 * use, valid for `ttlMs`, one live code per ticket (asking again replaces it). Guessing is bounded
 * by the helper endpoint's per-address rate limit: 10 tries a minute against 10^6 codes.
 */
export class HelperPairing {
  private readonly byCode = new Map<string, { ticketId: string; expiresAt: number }>();
  private readonly byTicket = new Map<string, string>();

  constructor(private readonly clock: Clock, private readonly ttlMs = 2 * 60_000) {}

  issue(ticketId: string): { code: string; expiresAt: number } {
    this.revoke(ticketId);
    let code: string;
    do code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    while (this.byCode.has(code));
    const expiresAt = this.clock.now() + this.ttlMs;
    this.byCode.set(code, { ticketId, expiresAt });
    this.byTicket.set(ticketId, code);
    return { code, expiresAt };
  }

  /** The ticket a code belongs to, consuming the code; null when unknown or expired. */
  redeem(code: string): string | null {
    const entry = this.byCode.get(code);
    if (!entry) return null;
    this.byCode.delete(code);
    this.byTicket.delete(entry.ticketId);
    return entry.expiresAt > this.clock.now() ? entry.ticketId : null;
  }

  revoke(ticketId: string): void {
    const code = this.byTicket.get(ticketId);
    if (code) this.byCode.delete(code);
    this.byTicket.delete(ticketId);
  }
}
