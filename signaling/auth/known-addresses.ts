import type { Clock } from '../clock.js';

/** How long an address where a user signed in stays theirs. */
export const KNOWN_ADDRESS_TTL_MS = 30 * 24 * 60 * 60_000;
/** The most recent few per user name: one cannot grow the list without end. */
export const KNOWN_ADDRESSES_PER_USER = 8;

/**
 * The addresses (address keys: client-address.ts) each user name signed in from with the right
 * password. Failures from anywhere else lock the user name for strangers only: from a known
 * address the owner keeps a lock of their own, so no one can keep an analyst (or the demo admin)
 * out by failing on purpose from elsewhere. In memory for one node, or in Redis for all
 * (redis/redis-counters.ts): a sign-in through one node is known to the others.
 */
export interface KnownAddresses {
  has(username: string, address: string): Promise<boolean>;
  remember(username: string, address: string): Promise<void>;
  /** The user name has no known address any more (its password was set again: the old ones may have been a thief's). */
  forget(username: string): Promise<void>;
}

export class MemoryKnownAddresses implements KnownAddresses {
  private readonly byUser = new Map<string, Map<string, number>>();

  constructor(private readonly clock: Clock) {}

  async has(username: string, address: string): Promise<boolean> {
    const at = this.byUser.get(username)?.get(address);
    return at !== undefined && this.clock.now() - at < KNOWN_ADDRESS_TTL_MS;
  }

  async remember(username: string, address: string): Promise<void> {
    const addresses = this.byUser.get(username) ?? new Map<string, number>();
    addresses.delete(address);
    addresses.set(address, this.clock.now());
    while (addresses.size > KNOWN_ADDRESSES_PER_USER) addresses.delete(addresses.keys().next().value!);
    this.byUser.set(username, addresses);
    if (this.byUser.size > 100_000) this.byUser.delete(this.byUser.keys().next().value!);
  }

  async forget(username: string): Promise<void> {
    this.byUser.delete(username);
  }
}
