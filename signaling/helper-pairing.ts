import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from './clock.js';
import type { RedisLink } from './redis/link.js';

/**
 * Short pairing codes that let a customer's helper join their ticket. Six random digits, single
 * use, valid for the TTL, one live code per ticket (asking again replaces it). A code only finds
 * the ticket: the helper must also prove the pairing secret to the customer's page
 * (protocol/helper.ts). Guessing is bounded twice: 10 tries a minute per address at the endpoint,
 * and every live code is burned once PAIRING_BURN_AFTER wrong codes have been tried, from any
 * address, since it was issued (its customer gets a new one at once): a guesser spread over many
 * addresses gets PAIRING_BURN_AFTER tries per code, one chance in 200,000.
 */
export interface HelperPairing {
  /** A new code for the ticket (replacing its previous one), with the token of its helper download. */
  issue(ticketId: string): Promise<IssuedCode>;
  /**
   * The ticket a download token belongs to, and whether its code is still live (not yet used by a
   * helper, not expired); null for a token never issued or long gone. Does not consume anything.
   */
  download(token: string): Promise<{ ticketId: string; live: boolean } | null>;
  /** The ticket a code belongs to, consuming the code; null when unknown or expired. */
  redeem(code: string): Promise<string | null>;
  /** A wrong code was tried: the tickets whose live codes are now burned (they need new ones). */
  recordFailure(): Promise<string[]>;
  revoke(ticketId: string): Promise<void>;
}

export interface IssuedCode {
  code: string;
  expiresAt: number;
  download: string;
}

/** How long a code (and the helper downloaded with it) works: time to download and start the helper. */
export const PAIRING_TTL_MS = 5 * 60_000;
/** How long a spent download token is still recognised, to say "expired" rather than "not valid". */
const DOWNLOAD_MEMORY_MS = 30 * 60_000;
const newToken = () => randomBytes(16).toString('hex');
/** Wrong codes tried, from anywhere, after which a live code is burned. */
export const PAIRING_BURN_AFTER = 5;
const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** One node: in memory. */
export class MemoryHelperPairing implements HelperPairing {
  private readonly byCode = new Map<string, { ticketId: string; expiresAt: number; failuresAtIssue: number }>();
  private readonly byTicket = new Map<string, string>();
  private readonly downloads = new Map<string, { ticketId: string; code: string; forgetAt: number }>();
  private failures = 0;

  constructor(private readonly clock: Clock, private readonly ttlMs = PAIRING_TTL_MS) {}

  async issue(ticketId: string): Promise<IssuedCode> {
    await this.revoke(ticketId);
    let code: string;
    do code = newCode();
    while (this.byCode.has(code));
    const now = this.clock.now();
    const expiresAt = now + this.ttlMs;
    this.byCode.set(code, { ticketId, expiresAt, failuresAtIssue: this.failures });
    this.byTicket.set(ticketId, code);
    for (const [token, entry] of this.downloads) if (entry.forgetAt <= now) this.downloads.delete(token);
    const download = newToken();
    this.downloads.set(download, { ticketId, code, forgetAt: expiresAt + DOWNLOAD_MEMORY_MS });
    return { code, expiresAt, download };
  }

  async download(token: string): Promise<{ ticketId: string; live: boolean } | null> {
    const entry = this.downloads.get(token);
    if (!entry || entry.forgetAt <= this.clock.now()) return null;
    const code = this.byCode.get(entry.code);
    return { ticketId: entry.ticketId, live: !!code && code.ticketId === entry.ticketId && code.expiresAt > this.clock.now() };
  }

  async redeem(code: string): Promise<string | null> {
    const entry = this.byCode.get(code);
    if (!entry) return null;
    this.byCode.delete(code);
    this.byTicket.delete(entry.ticketId);
    return entry.expiresAt > this.clock.now() ? entry.ticketId : null;
  }

  async recordFailure(): Promise<string[]> {
    this.failures += 1;
    const burned: string[] = [];
    for (const [code, entry] of this.byCode) {
      if (this.failures - entry.failuresAtIssue < PAIRING_BURN_AFTER) continue;
      this.byCode.delete(code);
      this.byTicket.delete(entry.ticketId);
      if (entry.expiresAt > this.clock.now()) burned.push(entry.ticketId);
    }
    return burned;
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

  async issue(ticketId: string): Promise<IssuedCode> {
    await this.revoke(ticketId);
    for (;;) {
      const code = newCode();
      // NX: never overwrite another ticket's live code.
      if (await this.link.cmd.set(this.link.key(`pair:${code}`), ticketId, 'PX', this.ttlMs, 'NX')) {
        await this.link.cmd.set(this.link.key(`pairticket:${ticketId}`), code, 'PX', this.ttlMs);
        // Live codes by the failure count at their issue (shared by all nodes): recordFailure() burns the old ones.
        const failures = Number((await this.link.cmd.get(this.link.key('pairfail'))) ?? 0);
        await this.link.cmd.zadd(this.link.key('pairlive'), failures, code);
        const download = newToken();
        await this.link.cmd.set(this.link.key(`pairdl:${download}`), `${ticketId} ${code}`, 'PX', this.ttlMs + DOWNLOAD_MEMORY_MS);
        return { code, expiresAt: this.clock.now() + this.ttlMs, download };
      }
    }
  }

  async download(token: string): Promise<{ ticketId: string; live: boolean } | null> {
    const entry = await this.link.cmd.get(this.link.key(`pairdl:${token}`));
    if (!entry) return null;
    const [ticketId, code] = entry.split(' ');
    return { ticketId, live: (await this.link.cmd.get(this.link.key(`pair:${code}`))) === ticketId };
  }

  async redeem(code: string): Promise<string | null> {
    const ticketId = await this.link.cmd.getdel(this.link.key(`pair:${code}`));
    if (ticketId) await this.link.cmd.del(this.link.key(`pairticket:${ticketId}`));
    await this.link.cmd.zrem(this.link.key('pairlive'), code);
    return ticketId;
  }

  async recordFailure(): Promise<string[]> {
    const failures = await this.link.cmd.incr(this.link.key('pairfail'));
    const due = await this.link.cmd.zrangebyscore(this.link.key('pairlive'), '-inf', failures - PAIRING_BURN_AFTER);
    const burned: string[] = [];
    for (const code of due) {
      // Whichever node removes it from the set burns it (and tells its customer): once.
      if ((await this.link.cmd.zrem(this.link.key('pairlive'), code)) === 0) continue;
      const ticketId = await this.link.cmd.getdel(this.link.key(`pair:${code}`));
      if (!ticketId) continue; // expired meanwhile
      await this.link.cmd.del(this.link.key(`pairticket:${ticketId}`));
      burned.push(ticketId);
    }
    return burned;
  }

  async revoke(ticketId: string): Promise<void> {
    const code = await this.link.cmd.getdel(this.link.key(`pairticket:${ticketId}`));
    if (code) {
      await this.link.cmd.del(this.link.key(`pair:${code}`));
      await this.link.cmd.zrem(this.link.key('pairlive'), code);
    }
  }
}
