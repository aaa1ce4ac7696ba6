import type { ConnectionRole, SessionState } from '../protocol/index.js';

// The life of a ticket and its session, written out in one place:
//
//   waiting ──take──▶ offered ──allow──▶ consented ──shareStart──▶ live
//      │                 │                   ▲                       │
//      │              refuse                 └──────shareStop────────┘
//      ▼                 ▼
//    ended ◀──────── end (from any state but ended: cancel, leave, expire, hang up)
//
//   offered, consented, live ──transfer──▶ waiting (handed over: to a queue, or to a colleague
//   in it; the next analyst takes it and the customer consents again, to that person)

export type SessionEvent = 'take' | 'allow' | 'refuse' | 'shareStart' | 'shareStop' | 'end' | 'transfer';

const TRANSITIONS: Record<SessionState, Partial<Record<SessionEvent, SessionState>>> = {
  waiting: { take: 'offered', end: 'ended' },
  offered: { allow: 'consented', refuse: 'ended', end: 'ended', transfer: 'waiting' },
  consented: { shareStart: 'live', end: 'ended', transfer: 'waiting' },
  live: { shareStop: 'consented', end: 'ended', transfer: 'waiting' },
  ended: {},
};

/** The state after `event`, or null when the event is not allowed in `state`. */
export function nextState(state: SessionState, event: SessionEvent): SessionState | null {
  return TRANSITIONS[state][event] ?? null;
}

export const isEnded = (state: SessionState): boolean => state === 'ended';
export const isWaiting = (state: SessionState): boolean => state === 'waiting';
/** A session exists (an analyst took the ticket) and has not ended. */
export const isInSession = (state: SessionState): boolean =>
  state === 'offered' || state === 'consented' || state === 'live';
/** WebRTC signals may flow only after the customer said yes. */
export const mayRelaySignals = (state: SessionState): boolean => state === 'consented' || state === 'live';
/**
 * Who holds TURN credentials when: the analyst once the customer allowed; the customer from the
 * consent dialog on, so that its page makes its connection the moment the customer clicks Allow
 * (its offer follows the consent on the same socket, and is relayed only once the consent is in).
 */
export const mayHoldIce = (role: ConnectionRole, state: SessionState): boolean =>
  role !== 'helper' && (mayRelaySignals(state) || (role === 'customer' && state === 'offered'));
