import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import type { RedisLink } from './redis/link.js';
import { MemoryShortCodes, RedisShortCodes, type ShortCodes } from './short-codes.js';

/**
 * Short pairing codes that let a customer's helper join their ticket. Six random digits, single
 * use, valid for the TTL, one live code per ticket (asking again replaces it). A code only finds
 * the ticket: the helper must also prove the pairing secret to the customer's page
 * (protocol/helper.ts). Guessing is bounded twice: 10 tries a minute per address at the endpoint,
 * and every live code is burned once PAIRING_BURN_AFTER wrong codes have been tried, from any
 * address, since it was issued (its customer gets a new one at once): a guesser spread over many
 * addresses gets PAIRING_BURN_AFTER tries per code, one chance in 200,000.
 */
export interface HelperPairing extends Pick<ShortCodes, 'redeem' | 'recordFailure' | 'revoke'> {
  /** A new code for the ticket (replacing its previous one), with the token of its helper download. */
  issue(ticketId: string): Promise<IssuedCode>;
  /**
   * The ticket a download token belongs to, and whether its code is still live (not yet used by a
   * helper, not expired); null for a token never issued or long gone. Does not consume anything.
   */
  download(token: string): Promise<{ ticketId: string; live: boolean } | null>;
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

/** The codes (short-codes.ts) and, beside each, the token of its helper download. */
abstract class PairingWithDownloads implements HelperPairing {
  constructor(protected readonly codes: ShortCodes) {}

  async issue(ticketId: string): Promise<IssuedCode> {
    const { code, expiresAt } = await this.codes.issue(ticketId);
    const download = newToken();
    await this.keepDownload(download, ticketId, code, expiresAt + DOWNLOAD_MEMORY_MS);
    return { code, expiresAt, download };
  }

  async download(token: string): Promise<{ ticketId: string; live: boolean } | null> {
    const entry = await this.findDownload(token);
    if (!entry) return null;
    return { ticketId: entry.ticketId, live: await this.codes.isLive(entry.code, entry.ticketId) };
  }

  redeem(code: string): Promise<string | null> {
    return this.codes.redeem(code);
  }

  recordFailure(): Promise<string[]> {
    return this.codes.recordFailure();
  }

  revoke(ticketId: string): Promise<void> {
    return this.codes.revoke(ticketId);
  }

  protected abstract keepDownload(token: string, ticketId: string, code: string, forgetAt: number): Promise<void>;
  protected abstract findDownload(token: string): Promise<{ ticketId: string; code: string } | null>;
}

/** One node: in memory. */
export class MemoryHelperPairing extends PairingWithDownloads {
  private readonly downloads = new Map<string, { ticketId: string; code: string; forgetAt: number }>();

  constructor(private readonly clock: Clock, ttlMs = PAIRING_TTL_MS) {
    super(new MemoryShortCodes(clock, { ttlMs, burnAfter: PAIRING_BURN_AFTER, namespace: 'pair' }));
  }

  protected async keepDownload(token: string, ticketId: string, code: string, forgetAt: number): Promise<void> {
    const now = this.clock.now();
    for (const [old, entry] of this.downloads) if (entry.forgetAt <= now) this.downloads.delete(old);
    this.downloads.set(token, { ticketId, code, forgetAt });
  }

  protected async findDownload(token: string): Promise<{ ticketId: string; code: string } | null> {
    const entry = this.downloads.get(token);
    return entry && entry.forgetAt > this.clock.now() ? entry : null;
  }
}

/** Several nodes: the helper may reach another node than the customer's page. Redis expires codes and tokens. */
export class RedisHelperPairing extends PairingWithDownloads {
  constructor(private readonly link: RedisLink, private readonly clock: Clock, ttlMs = PAIRING_TTL_MS) {
    super(new RedisShortCodes(link, clock, { ttlMs, burnAfter: PAIRING_BURN_AFTER, namespace: 'pair' }));
  }

  protected async keepDownload(token: string, ticketId: string, code: string, forgetAt: number): Promise<void> {
    await this.link.cmd.set(this.link.key(`pairdl:${token}`), `${ticketId} ${code}`, 'PX', Math.max(1, forgetAt - this.clock.now()));
  }

  protected async findDownload(token: string): Promise<{ ticketId: string; code: string } | null> {
    const entry = await this.link.cmd.get(this.link.key(`pairdl:${token}`));
    if (!entry) return null;
    const [ticketId, code] = entry.split(' ');
    return { ticketId, code };
  }
}
