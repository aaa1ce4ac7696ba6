import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

/**
 * The key the per-address limits count on. IPv4: the address. IPv6: its /64, the block one
 * subscriber gets (one machine may use any of its 2^64 addresses, so counting whole addresses
 * would give it 2^64 budgets). An IPv4 address written as IPv6 (::ffff:a.b.c.d) is the IPv4 one.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * What a waiting ticket keeps of the address that made it, to cap waiting tickets per address: a
 * hash of its address key, never the address itself (not reversible at a glance in a Redis dump;
 * anyone who tries every IPv4 address could, so it is gone with the ticket, and never logged).
 */
export function addressPseudonym(ip: string): string {
  return createHash('sha256').update(`relaydesk-origin:${addressKey(ip)}`).digest('base64url').slice(0, 22);
}
