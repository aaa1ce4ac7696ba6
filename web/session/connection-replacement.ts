import { jitteredBackoff } from './backoff.js';

// A session's peer connection that fails for good (a computer asleep, a network gone for longer
// than the browser waits, ~15 s in Chromium) cannot be restored in place: a closed
// RTCPeerConnection never reopens. The session then gets a new one, numbered one higher
// (protocol/signal.ts). The rules both pages follow:
//
//   customer (it makes the offers): its link closed without it asking ──replacementDelay──▶ next link
//                                   (the analyst's page said "linkClosed" ──at once──▶ next link)
//                                   a new link not connected within CONNECTION_TIMEOUT_MS ──▶ next link
//   analyst (it answers):           a signal for a higher number ──▶ drop its link, answer with a new one
//                                   its link failed ──▶ tells the customer's page ("linkClosed")
//
// Chat history, finished files and the activity log carry over (session-tools.ts); the screen
// share is added to the new link; transfers that were running fail as 'connectionLost'.


/** A new link that has not connected by then is given up for the next one (offer lost, say). */
export const CONNECTION_TIMEOUT_MS = 15_000;

/**
 * The wait before attempt `attempt` (0 the first since the last connected link): the same jittered
 * backoff as the signaling socket's (backoff.ts), from 0.5-1 s up to 15-30 s, so two pages that lost
 * the same network do not retry in step.
 */
export const replacementDelay = (attempt: number, random: () => number = Math.random): number => jitteredBackoff(attempt, random, 1000, 30_000);

/**
 * The next number after `previous` (null: none yet), from the clock and always above the last: a
 * page's connections and its verification rounds are numbered so, and the other page drops what is
 * not newer, so a reloaded page or a second tab starts above everything an earlier page sent.
 */
export const numberAboveClock = (previous: number | null, now: number = Date.now()): number => Math.max((previous ?? -1) + 1, now);

export type SignalFate = 'deliver' | 'replace' | 'ignore';

/**
 * The analyst's side: what a signal for connection `incoming` does. A higher number is the
 * customer's new link: answer it with a new link. A lower one, or the same one once closed, is a
 * leftover (a late candidate, an ICE restart of a link this side gave up): drop it.
 */
export function analystSignalFate(current: { number: number; isClosed: boolean } | null, incoming: number): SignalFate {
  if (!current || incoming > current.number) return 'replace';
  if (incoming < current.number || current.isClosed) return 'ignore';
  return 'deliver';
}
