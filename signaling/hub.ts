import { CLOSE_CODES, type QueueInfo, type SessionState, type TicketStatus, type TicketSummary } from '../protocol/index.js';
import type { Clock } from './clock.js';
import { Connection } from './ws/connection.js';
import { isEnded, isWaiting } from './session-machine.js';
import type { IceServerIssuer } from './turn-credentials.js';
import type { HelperPairing } from './helper-pairing.js';
import type { TicketRecord, TicketStore } from './store/ticket-store.js';

export function toSummary(ticket: TicketRecord): TicketSummary {
  return {
    id: ticket.id,
    queue: ticket.queue,
    name: ticket.customer.name,
    email: ticket.customer.email,
    phone: ticket.customer.phone,
    createdAt: ticket.createdAt,
    customerOnline: ticket.customerOnline,
    state: ticket.state,
    ...(ticket.analyst ? { analystName: ticket.analyst.name } : {}),
  };
}

/**
 * Knows which socket is whom, and turns every store change into the frames each party should see.
 * It never changes tickets itself (the store does); it reacts to the store's change events.
 */
export class Hub {
  private readonly customers = new Map<string, Connection>();
  private readonly analysts = new Map<string, Connection>();
  /** The remote-control helper paired with each ticket, if any. */
  private readonly helpers = new Map<string, Connection>();
  private readonly queueNames: Map<string, string>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: TicketStore,
    queues: QueueInfo[],
    private readonly clock: Clock,
    private readonly ice: IceServerIssuer,
    private readonly pairing: HelperPairing,
  ) {
    this.queueNames = new Map(queues.map((q) => [q.id, q.name]));
    this.unsubscribe = store.subscribe((ticket, previous) => this.onTicketChange(ticket, previous));
  }

  get customerCount(): number {
    return this.customers.size;
  }

  get analystCount(): number {
    return this.analysts.size;
  }

  attachCustomer(conn: Connection, ticket: TicketRecord): void {
    // One live socket per ticket: a second tab (or a reload that raced the old socket) replaces the first.
    const previous = this.customers.get(ticket.id);
    if (previous && previous !== conn) previous.close(CLOSE_CODES.replaced, 'replaced by a newer connection');
    this.customers.set(ticket.id, conn);
    this.store.setCustomerOnline(ticket.id, true);
    conn.send(this.statusFor(ticket));
  }

  attachAnalyst(conn: Connection, queues: QueueInfo[]): void {
    this.analysts.set(conn.id, conn);
    const tickets = queues.flatMap((q) => this.store.waitingIn(q.id)).map(toSummary);
    conn.send({
      type: 'queue.snapshot',
      analystName: conn.analyst?.displayName ?? '',
      queues,
      tickets,
      serverTime: this.clock.now(),
    });
  }

  attachHelper(conn: Connection, ticketId: string): void {
    const previous = this.helpers.get(ticketId);
    if (previous && previous !== conn) previous.close(CLOSE_CODES.replaced, 'replaced by a newer helper');
    this.helpers.set(ticketId, conn);
  }

  helperOf(ticketId: string): Connection | undefined {
    return this.helpers.get(ticketId);
  }

  /** Called when a socket closes: the customer goes offline, a member leaving ends its session. */
  detach(conn: Connection): void {
    if (conn.role === 'helper' && conn.ticketId) {
      if (this.helpers.get(conn.ticketId) !== conn) return;
      this.helpers.delete(conn.ticketId);
      this.customers.get(conn.ticketId)?.send({ type: 'helper.status', connected: false });
    } else if (conn.role === 'customer' && conn.ticketId) {
      if (this.customers.get(conn.ticketId) !== conn) return; // already replaced by a newer socket
      this.customers.delete(conn.ticketId);
      const ticket = this.store.get(conn.ticketId);
      if (!ticket) return; // ended already
      if (isWaiting(ticket.state)) this.store.setCustomerOnline(ticket.id, false);
      else this.store.apply(ticket.id, 'end', 'customerLeft');
    } else if (conn.role === 'analyst') {
      this.analysts.delete(conn.id);
      if (conn.ticketId && this.store.get(conn.ticketId)) this.store.apply(conn.ticketId, 'end', 'analystLeft');
    }
  }

  /** Closes an analyst's consoles after their account changed; they reconnect with the new rights. */
  refreshAnalyst(accountId: string): void {
    for (const conn of this.analysts.values()) {
      if (conn.analyst?.id === accountId) conn.close(CLOSE_CODES.accountChanged, 'account changed');
    }
  }

  customerOf(ticketId: string): Connection | undefined {
    return this.customers.get(ticketId);
  }

  analystConnection(connectionId: string): Connection | undefined {
    return this.analysts.get(connectionId);
  }

  /** Tells every client the server is going away, then closes their sockets. */
  closeAll(code: number, reason: string): void {
    for (const conn of [...this.customers.values(), ...this.analysts.values(), ...this.helpers.values()]) conn.close(code, reason);
  }

  dispose(): void {
    this.unsubscribe();
  }

  statusFor(ticket: TicketRecord): TicketStatus {
    return {
      type: 'ticket.status',
      ticketId: ticket.id,
      queue: ticket.queue,
      queueName: this.queueNames.get(ticket.queue) ?? ticket.queue,
      name: ticket.customer.name,
      state: ticket.state,
      position: this.store.position(ticket.id),
      ...(ticket.analyst ? { analystName: ticket.analyst.name } : {}),
      ...(ticket.endReason ? { endReason: ticket.endReason } : {}),
    };
  }

  private onTicketChange(ticket: TicketRecord, previous: SessionState | null): void {
    const stateChanged = previous !== ticket.state;
    this.notifyQueueAnalysts(ticket, previous);
    this.notifySessionAnalyst(ticket, previous);

    const customer = this.customers.get(ticket.id);
    if (customer && previous === 'offered' && ticket.state === 'consented') {
      customer.send({ type: 'session.ice', sessionId: ticket.id, ...this.ice.issue(`${ticket.id.slice(0, 8)}-customer`) });
    }
    if (customer && stateChanged) customer.send(this.statusFor(ticket));

    // Positions move for everyone behind when a ticket joins or leaves the waiting line.
    const lineChanged = stateChanged && (previous === null || previous === 'waiting' || isWaiting(ticket.state));
    if (lineChanged) {
      for (const other of this.store.waitingIn(ticket.queue)) {
        if (other.id !== ticket.id) this.customers.get(other.id)?.send(this.statusFor(other));
      }
    }

    if (isEnded(ticket.state) && customer) {
      this.customers.delete(ticket.id);
      customer.ticketId = null;
      customer.close(CLOSE_CODES.ended, 'ticket ended');
    }
    if (isEnded(ticket.state)) {
      // The helper's pairing lives and dies with the session.
      this.pairing.revoke(ticket.id);
      const helper = this.helpers.get(ticket.id);
      this.helpers.delete(ticket.id);
      helper?.close(CLOSE_CODES.ended, 'session ended');
    }
  }

  private notifyQueueAnalysts(ticket: TicketRecord, previous: SessionState | null): void {
    const wasWaiting = previous === 'waiting';
    if (!isWaiting(ticket.state) && !wasWaiting) return;
    const frame = isWaiting(ticket.state)
      ? ({ type: 'queue.ticketUpserted', ticket: toSummary(ticket) } as const)
      : ({ type: 'queue.ticketRemoved', ticketId: ticket.id, reason: isEnded(ticket.state) ? 'ended' : 'taken' } as const);
    for (const conn of this.analysts.values()) {
      if (conn.analyst?.queues.includes(ticket.queue)) conn.send(frame);
    }
  }

  private notifySessionAnalyst(ticket: TicketRecord, previous: SessionState | null): void {
    if (!ticket.analyst || previous === ticket.state) return;
    const conn = this.analysts.get(ticket.analyst.connectionId);
    if (!conn) return;
    if (previous === 'waiting') {
      conn.ticketId = ticket.id;
      conn.send({ type: 'session.started', sessionId: ticket.id, ticket: toSummary(ticket) });
      return;
    }
    if (previous === 'offered' && ticket.state === 'consented') {
      conn.send({ type: 'session.ice', sessionId: ticket.id, ...this.ice.issue(`${ticket.id.slice(0, 8)}-analyst`) });
    }
    conn.send({
      type: 'session.state',
      sessionId: ticket.id,
      state: ticket.state,
      ...(ticket.endReason ? { endReason: ticket.endReason } : {}),
    });
    if (isEnded(ticket.state) && conn.ticketId === ticket.id) conn.ticketId = null;
  }
}
