// How long to wait before each new attempt to reach the server. One policy for both pages.
// No DOM types: unit-tested in Node.

import { CLOSE_CODES } from '../../protocol/index.js';

export interface ReconnectPolicy {
  /** Milliseconds before attempt `attempt` (1 for the first retry), given how the last socket closed. */
  delayMs(attempt: number, closeCode?: number): number;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half is random, so thousands
 * of pages that lost the same server do not all come back in the same millisecond.
 */
export function jitteredBackoff(attempt: number, random: () => number = Math.random, baseMs = 500, maxMs = 10_000): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * The signaling socket's policy: a server shutting down on purpose (close 4503; another node, or
 * this one restarted, takes over within seconds) is tried again after 1-2 s; any other loss backs
 * off from 0.5-1 s up to 5-10 s.
 */
export function signalingReconnectPolicy(random: () => number = Math.random): ReconnectPolicy {
  return {
    delayMs: (attempt, closeCode) =>
      closeCode === CLOSE_CODES.shuttingDown ? Math.round(1000 + random() * 1000) : jitteredBackoff(attempt, random),
  };
}
