import type { EndReason, ErrorCode, SessionState } from '../../protocol/index.js';
import type { SessionEvent } from '../session-machine.js';

export interface Contact {
  name: string;
  email: string;
  phone: string;
}

export interface AnalystRef {
  id: string;
  name: string;
  /** The connection that took the ticket: signals for the analyst go there only. */
  connectionId: string;
}

/** One ticket and, once taken, its session (the session id is the ticket id). */
export interface TicketRecord {
  id: string;
  /** The customer's secret, unguessable, one-ticket credential. */
  token: string;
  queue: string;
  customer: Contact;
  createdBy: 'customer' | 'analyst';
  createdAt: number;
  /** Insertion order, to break createdAt ties so the queue order is total. */
  seq: number;
  state: SessionState;
  endReason?: EndReason;
  analyst?: AnalystRef;
  customerOnline: boolean;
  /** The customer has connected at least once. */
  customerSeen: boolean;
  /** When the customer last went offline, or when the ticket was created before they ever connected. */
  offlineSince: number | null;
}

export type StoreResult = { ok: true; ticket: TicketRecord } | { ok: false; code: ErrorCode };

export interface NewTicket {
  queue: string;
  customer: Contact;
  createdBy: 'customer' | 'analyst';
}

/** Emitted after every change, with the record as it is now (an ended record is already removed). */
export type TicketListener = (ticket: TicketRecord, previous: SessionState | null) => void;

/**
 * The one owner of ticket and session state. Every method is synchronous and atomic: it reads and
 * writes in one step, so two analysts can never both take one ticket.
 */
export interface TicketStore {
  create(input: NewTicket): TicketRecord;
  get(id: string): TicketRecord | undefined;
  byToken(token: string): TicketRecord | undefined;
  /** Waiting tickets of a queue, oldest first. */
  waitingIn(queue: string): TicketRecord[];
  /** 1-based place among the waiting tickets of its queue, 0 when not waiting. */
  position(id: string): number;
  take(id: string, analyst: AnalystRef): StoreResult;
  /** Applies a state machine event; `end` needs a reason. */
  apply(id: string, event: SessionEvent, endReason?: EndReason): StoreResult;
  setCustomerOnline(id: string, online: boolean): StoreResult;
  /** Ends every waiting ticket whose customer has been away too long; returns the ended ids. */
  expireOffline(maxOfflineMs: { customer: number; link: number }): string[];
  /** Tickets not ended (for metrics and shutdown). */
  all(): TicketRecord[];
  subscribe(listener: TicketListener): () => void;
}
