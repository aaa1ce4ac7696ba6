import { randomBytes, randomUUID } from 'node:crypto';
import type { EndReason } from '../../protocol/index.js';
import { isEnded, isInSession, isWaiting, nextState, type SessionEvent } from '../session-machine.js';
import type { AbsenceLimits, AnalystRef, NewTicket, Presence, StoreResult, TicketRecord, TransferTarget } from './ticket-store.js';

// The decisions every store makes, as pure functions from a record to the next record (a copy).
// The memory store applies them directly; the Redis store applies them and then commits with a
// compare-and-set on the version, so both follow exactly the same rules.

/** 128 bits from the OS CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

export function newTicket(input: NewTicket, now: number, seq: number): TicketRecord {
  return {
    id: randomUUID(),
    token: newToken(),
    queue: input.queue,
    customer: { ...input.customer },
    createdBy: input.createdBy,
    ...(input.origin ? { origin: input.origin } : {}),
    createdAt: now,
    seq,
    state: 'waiting',
    customerConnection: null,
    helperConnection: null,
    customerOnline: false,
    customerSeen: false,
    offlineSince: now,
    version: 1,
  };
}

const copy = (ticket: TicketRecord): TicketRecord => ({
  ...ticket,
  customer: { ...ticket.customer },
  ...(ticket.analyst ? { analyst: { ...ticket.analyst } } : {}),
  version: ticket.version + 1,
});

/** A session handed to a colleague is theirs to take for this long; then anyone in the queue may. */
export const TRANSFER_RESERVE_MS = 2 * 60_000;

/** Who the ticket is kept for now (a hand-over to a colleague, within TRANSFER_RESERVE_MS), if anyone. */
export function reservedFor(ticket: TicketRecord, now: number): { id: string; name: string } | null {
  const transfer = ticket.transfer;
  return isWaiting(ticket.state) && transfer?.reservedFor && now - transfer.at < TRANSFER_RESERVE_MS ? transfer.reservedFor : null;
}

export function decideTake(ticket: TicketRecord | undefined, analyst: AnalystRef, now: number): StoreResult {
  if (!ticket) return { ok: false, code: 'ticket.notFound' };
  if (!isWaiting(ticket.state)) return { ok: false, code: 'ticket.alreadyTaken' };
  if (!ticket.customerOnline) return { ok: false, code: 'ticket.customerOffline' };
  const reserved = reservedFor(ticket, now);
  if (reserved && reserved.id !== analyst.id) return { ok: false, code: 'ticket.reserved' };
  const next = copy(ticket);
  next.analyst = { ...analyst, awaySince: null };
  next.takenAt = now;
  next.state = nextState(ticket.state, 'take')!;
  return { ok: true, ticket: next };
}

export function decideApply(ticket: TicketRecord | undefined, event: SessionEvent, endReason?: EndReason): StoreResult {
  if (!ticket) return { ok: false, code: 'ticket.notFound' };
  const state = nextState(ticket.state, event);
  if (state === null) return { ok: false, code: 'session.invalidTransition' };
  const next = copy(ticket);
  next.state = state;
  if (isEnded(state)) next.endReason = endReason ?? 'cancelled';
  return { ok: true, ticket: next };
}

export function decideTransfer(ticket: TicketRecord | undefined, by: string, target: TransferTarget, now: number): StoreResult {
  if (!ticket) return { ok: false, code: 'ticket.notFound' };
  if (!isInSession(ticket.state) || !ticket.analyst) return { ok: false, code: 'session.notActive' };
  if (ticket.analyst.id !== by) return { ok: false, code: 'session.notMember' };
  const state = nextState(ticket.state, 'transfer');
  if (state === null) return { ok: false, code: 'session.invalidTransition' };
  const next = copy(ticket);
  next.transfer = {
    fromId: ticket.analyst.id,
    fromName: ticket.analyst.name,
    fromConnection: ticket.analyst.connectionId,
    note: target.note,
    at: now,
    ...(target.reservedFor ? { reservedFor: { ...target.reservedFor } } : {}),
  };
  next.state = state;
  next.queue = target.queue;
  delete next.analyst;
  delete next.takenAt;
  return { ok: true, ticket: next };
}

export const PRESENCE_FIELDS = ['customerConnection', 'helperConnection', 'analystConnection'] as const;

/** The connections a record names, by the Presence field that sets each. */
export function namedConnections(ticket: TicketRecord): Record<(typeof PRESENCE_FIELDS)[number], string | null> {
  return { customerConnection: ticket.customerConnection, helperConnection: ticket.helperConnection, analystConnection: ticket.analyst?.connectionId ?? null };
}

/** The next record, or the same record when nothing changes. */
export function decidePresence(ticket: TicketRecord | undefined, presence: Presence, now: number): StoreResult {
  if (!ticket) return { ok: false, code: 'ticket.notFound' };
  const named = namedConnections(ticket);
  const expected = presence.onlyIf ?? {};
  if (PRESENCE_FIELDS.some((field) => expected[field] && !expected[field].includes(named[field]))) return { ok: true, ticket };
  const customerConnection = presence.customerConnection === undefined ? ticket.customerConnection : presence.customerConnection;
  const helperConnection = presence.helperConnection === undefined ? ticket.helperConnection : presence.helperConnection;
  const analystConnection = presence.analystConnection === undefined || !ticket.analyst ? ticket.analyst?.connectionId : presence.analystConnection;
  // Away on purpose (the page closed its socket) or not: kept until the member is back or drops.
  const closed = presence.closed === true;
  // A member already away stays "closed" if they were (a later word that the connection is gone,
  // from the sweep, says nothing of how it went).
  const customerClosed = presence.customerConnection === undefined ? ticket.customerClosed === true
    : customerConnection === null && (closed || (ticket.customerConnection === null && ticket.customerClosed === true));
  const analystClosed = !ticket.analyst || presence.analystConnection === undefined ? ticket.analyst?.closed === true
    : analystConnection === null && (closed || (ticket.analyst.connectionId === null && ticket.analyst.closed === true));
  if (
    customerConnection === ticket.customerConnection &&
    helperConnection === ticket.helperConnection &&
    analystConnection === ticket.analyst?.connectionId &&
    customerClosed === (ticket.customerClosed === true) &&
    analystClosed === (ticket.analyst?.closed === true)
  ) {
    return { ok: true, ticket };
  }
  const next = copy(ticket);
  if (customerClosed) next.customerClosed = true;
  else delete next.customerClosed;
  if (next.analyst) {
    if (analystClosed) next.analyst.closed = true;
    else delete next.analyst.closed;
  }
  next.customerConnection = customerConnection;
  next.helperConnection = helperConnection;
  if (next.analyst && analystConnection !== undefined && analystConnection !== next.analyst.connectionId) {
    next.analyst.connectionId = analystConnection;
    next.analyst.awaySince = analystConnection === null ? now : null;
  }
  const online = customerConnection !== null;
  if (online !== ticket.customerOnline) {
    next.customerOnline = online;
    next.offlineSince = online ? null : now;
    if (online) next.customerSeen = true;
  }
  return { ok: true, ticket: next };
}

/**
 * Why a ticket should end because someone has been away too long, or null: a waiting customer who
 * left (a link never opened lives longer), a ticket no analyst took within the maximum wait, or a
 * session member whose connection dropped and who did not come back within the grace.
 */
export function dueToEnd(ticket: TicketRecord, now: number, limits: AbsenceLimits): 'expired' | 'customerLeft' | 'analystLeft' | 'customerClosed' | 'analystClosed' | 'waitedTooLong' | null {
  if (isWaiting(ticket.state)) {
    // A socket kept open must not hold a place in the line for ever.
    // A session handed over waits afresh from the hand-over.
    if (now - (ticket.transfer?.at ?? ticket.createdAt) >= limits.maxWait) return 'waitedTooLong';
    if (ticket.offlineSince === null) return null;
    const limit = ticket.createdBy === 'analyst' && !ticket.customerSeen ? limits.link : limits.customer;
    return now - ticket.offlineSince >= limit ? 'expired' : null;
  }
  if (!isInSession(ticket.state)) return null;
  // A page that closed on purpose gets the short grace (a reload is back in a second or two); a
  // dropped network the longer one.
  const closedGrace = Math.min(limits.closed, limits.member);
  if (ticket.offlineSince !== null) {
    if (ticket.customerClosed && now - ticket.offlineSince >= closedGrace) return 'customerClosed';
    if (now - ticket.offlineSince >= limits.member) return 'customerLeft';
  }
  const awaySince = ticket.analyst?.awaySince;
  if (awaySince != null) {
    if (ticket.analyst?.closed && now - awaySince >= closedGrace) return 'analystClosed';
    if (now - awaySince >= limits.member) return 'analystLeft';
  }
  return null;
}

export const byQueueOrder = (a: TicketRecord, b: TicketRecord): number => a.createdAt - b.createdAt || a.seq - b.seq;

