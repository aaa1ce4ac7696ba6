import { randomBytes } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';
import type { EndReason, SessionState } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { isEnded, isWaiting, nextState, type SessionEvent } from '../session-machine.js';
import type { AnalystRef, NewTicket, StoreResult, TicketListener, TicketRecord, TicketStore } from './ticket-store.js';

/** 128 bits from the OS CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The embedded default store: everything in memory, gone when the process ends. */
export class MemoryTicketStore implements TicketStore {
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly byTokenIndex = new Map<string, string>();
  private readonly listeners = new Set<TicketListener>();
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  create(input: NewTicket): TicketRecord {
    const now = this.clock.now();
    const ticket: TicketRecord = {
      id: uuidv4(),
      token: newToken(),
      queue: input.queue,
      customer: { ...input.customer },
      createdBy: input.createdBy,
      createdAt: now,
      seq: this.seq++,
      state: 'waiting',
      customerOnline: false,
      customerSeen: false,
      offlineSince: now,
    };
    this.tickets.set(ticket.id, ticket);
    this.byTokenIndex.set(ticket.token, ticket.id);
    this.emit(ticket, null);
    return ticket;
  }

  get(id: string): TicketRecord | undefined {
    return this.tickets.get(id);
  }

  byToken(token: string): TicketRecord | undefined {
    const id = this.byTokenIndex.get(token);
    return id === undefined ? undefined : this.tickets.get(id);
  }

  waitingIn(queue: string): TicketRecord[] {
    return [...this.tickets.values()]
      .filter((t) => t.queue === queue && isWaiting(t.state))
      .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  }

  position(id: string): number {
    const ticket = this.tickets.get(id);
    if (!ticket || !isWaiting(ticket.state)) return 0;
    return this.waitingIn(ticket.queue).findIndex((t) => t.id === id) + 1;
  }

  take(id: string, analyst: AnalystRef): StoreResult {
    const ticket = this.tickets.get(id);
    if (!ticket) return { ok: false, code: 'ticket.notFound' };
    if (!isWaiting(ticket.state)) return { ok: false, code: 'ticket.alreadyTaken' };
    if (!ticket.customerOnline) return { ok: false, code: 'ticket.customerOffline' };
    ticket.analyst = { ...analyst };
    return this.transition(ticket, 'take');
  }

  apply(id: string, event: SessionEvent, endReason?: EndReason): StoreResult {
    const ticket = this.tickets.get(id);
    if (!ticket) return { ok: false, code: 'ticket.notFound' };
    return this.transition(ticket, event, endReason);
  }

  setCustomerOnline(id: string, online: boolean): StoreResult {
    const ticket = this.tickets.get(id);
    if (!ticket) return { ok: false, code: 'ticket.notFound' };
    if (ticket.customerOnline === online) return { ok: true, ticket };
    ticket.customerOnline = online;
    if (online) ticket.customerSeen = true;
    ticket.offlineSince = online ? null : this.clock.now();
    this.emit(ticket, ticket.state);
    return { ok: true, ticket };
  }

  expireOffline(maxOfflineMs: { customer: number; link: number }): string[] {
    const now = this.clock.now();
    const expired: string[] = [];
    for (const ticket of [...this.tickets.values()]) {
      if (!isWaiting(ticket.state) || ticket.offlineSince === null) continue;
      // A link an analyst made may take the customer a while to open; a customer who was here and left
      // gets a shorter grace (enough to survive a page reload).
      const limit = ticket.createdBy === 'analyst' && !ticket.customerSeen ? maxOfflineMs.link : maxOfflineMs.customer;
      if (now - ticket.offlineSince >= limit) {
        this.transition(ticket, 'end', 'expired');
        expired.push(ticket.id);
      }
    }
    return expired;
  }

  all(): TicketRecord[] {
    return [...this.tickets.values()];
  }

  subscribe(listener: TicketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private transition(ticket: TicketRecord, event: SessionEvent, endReason?: EndReason): StoreResult {
    const previous: SessionState = ticket.state;
    const next = nextState(previous, event);
    if (next === null) return { ok: false, code: 'session.invalidTransition' };
    ticket.state = next;
    if (isEnded(next)) {
      ticket.endReason = endReason ?? 'cancelled';
      // Nothing outlives the session: the record and its token are forgotten now.
      this.tickets.delete(ticket.id);
      this.byTokenIndex.delete(ticket.token);
    }
    this.emit(ticket, previous);
    return { ok: true, ticket };
  }

  private emit(ticket: TicketRecord, previous: SessionState | null): void {
    for (const listener of this.listeners) listener(ticket, previous);
  }
}
