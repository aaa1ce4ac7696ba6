import type { EndReason, SessionState } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { isEnded, type SessionEvent } from '../session-machine.js';
import { decideApply, decidePresence, decideTake, decideTransfer, dueToEnd, newTicket } from './ticket-rules.js';
import { WaitingLines } from './waiting-lines.js';
import type { AbsenceLimits, AnalystRef, NewTicket, Presence, StoreResult, TicketListener, TicketRecord, TicketStore, TransferTarget } from './ticket-store.js';

export { newToken } from './ticket-rules.js';

/**
 * The embedded default: everything in this process's memory, gone when it ends. Each write is
 * decided and applied synchronously (before the returned promise settles), so it is atomic.
 */
export class MemoryTicketStore implements TicketStore {
  private readonly tickets = new Map<string, TicketRecord>();
  /** The waiting lines of these records, kept in order (waiting-lines.ts). */
  private readonly lines = new WaitingLines();
  private readonly byTokenIndex = new Map<string, string>();
  private readonly listeners = new Set<TicketListener>();
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  async create(input: NewTicket): Promise<TicketRecord> {
    const ticket = newTicket(input, this.clock.now(), this.seq++);
    this.commit(ticket, null);
    return ticket;
  }

  get(id: string): TicketRecord | undefined {
    return this.tickets.get(id);
  }

  byToken(token: string): TicketRecord | undefined {
    const id = this.byTokenIndex.get(token);
    return id === undefined ? undefined : this.tickets.get(id);
  }

  async fetchByToken(token: string): Promise<TicketRecord | undefined> {
    return this.byToken(token);
  }

  waitingIn(queue: string): readonly TicketRecord[] {
    return this.lines.line(queue);
  }

  position(id: string): number {
    return this.lines.position(this.tickets.get(id));
  }

  placeOf(ticket: TicketRecord): number {
    return this.lines.placeOf(ticket);
  }

  waitingFrom(origin: string): number {
    return this.lines.waitingFrom(origin);
  }

  async take(id: string, analyst: AnalystRef): Promise<StoreResult> {
    return this.decide(id, (ticket) => decideTake(ticket, analyst, this.clock.now()));
  }
  async transfer(id: string, by: string, target: TransferTarget): Promise<StoreResult> {
    return this.decide(id, (ticket) => decideTransfer(ticket, by, target, this.clock.now()));
  }


  async apply(id: string, event: SessionEvent, endReason?: EndReason): Promise<StoreResult> {
    return this.decide(id, (ticket) => decideApply(ticket, event, endReason));
  }

  async setPresence(id: string, presence: Presence): Promise<StoreResult> {
    return this.decide(id, (ticket) => decidePresence(ticket, presence, this.clock.now()));
  }

  async expireOffline(limits: AbsenceLimits): Promise<string[]> {
    const now = this.clock.now();
    const due = [...this.tickets.values()].map((t) => [t, dueToEnd(t, now, limits)] as const).filter(([, reason]) => reason);
    for (const [ticket, reason] of due) this.decide(ticket.id, (t) => decideApply(t, 'end', reason!));
    return due.map(([t]) => t.id);
  }

  all(): TicketRecord[] {
    return [...this.tickets.values()];
  }

  subscribe(listener: TicketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {}

  private decide(id: string, rule: (ticket: TicketRecord | undefined) => StoreResult): StoreResult {
    const current = this.tickets.get(id);
    const result = rule(current);
    if (result.ok && result.ticket !== current) this.commit(result.ticket, current?.state ?? null);
    return result;
  }

  private commit(ticket: TicketRecord, previous: SessionState | null): void {
    this.lines.update(this.tickets.get(ticket.id), isEnded(ticket.state) ? undefined : ticket);
    if (isEnded(ticket.state)) {
      // Nothing outlives the session: the record and its token are forgotten now.
      this.tickets.delete(ticket.id);
      this.byTokenIndex.delete(ticket.token);
    } else {
      this.tickets.set(ticket.id, ticket);
      this.byTokenIndex.set(ticket.token, ticket.id);
    }
    for (const listener of this.listeners) listener(ticket, previous);
  }
}
