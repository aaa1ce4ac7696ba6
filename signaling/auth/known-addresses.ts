import type { Clock } from '../clock.js';

/** How long an address where a user signed in stays theirs. */
export const KNOWN_ADDRESS_TTL_MS = 30 * 24 * 60 * 60_000;
const PER_USER = 8;

/**
 * The addresses (address keys: client-address.ts) each user name signed in from with the right
 * password. Failures from anywhere else lock the user name for strangers only: from a known
 * address the owner keeps a lock of their own, so no one can keep an analyst (or the demo admin)
 * out by failing on purpose from elsewhere.
 */
export class KnownAddresses {
  private readonly byUser = new Map<string, Map<string, number>>();

  constructor(private readonly clock: Clock) {}

  has(username: string, address: string): boolean {
    const at = this.byUser.get(username)?.get(address);
    return at !== undefined && this.clock.now() - at < KNOWN_ADDRESS_TTL_MS;
  }

  remember(username: string, address: string): void {
    const addresses = this.byUser.get(username) ?? new Map<string, number>();
    addresses.delete(address);
    addresses.set(address, this.clock.now());
    // The most recent few: a user name cannot grow this without end.
    while (addresses.size > PER_USER) addresses.delete(addresses.keys().next().value!);
    this.byUser.set(username, addresses);
    if (this.byUser.size > 100_000) this.byUser.delete(this.byUser.keys().next().value!);
  }

  forget(username: string): void {
    this.byUser.delete(username);
  }
}
