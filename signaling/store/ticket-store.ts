import type { EndReason, ErrorCode, SessionState } from '../../protocol/index.js';
import type { SessionEvent } from '../session-machine.js';

/** What the customer told us in the request: how to call them, and what is wrong (optional, may be ''). */
export interface Contact {
  name: string;
  email: string;
  phone: string;
  problem?: string;
}

export interface AnalystRef {
  id: string;
  name: string;
  /** The analyst's live connection for this session (on any node); null while they are away. */
  connectionId: string | null;
  /** Since when the analyst has been away (a dropped connection), null while connected. */
  awaySince?: number | null;
  /** Away because their page closed its socket on purpose (a closed tab or a reload), not a dropped network. */
  closed?: boolean;
}

/** One ticket and, once taken, its session (the session id is the ticket id). */
export interface TicketRecord {
  id: string;
  /** The customer's secret, unguessable, one-ticket credential. */
  token: string;
  queue: string;
  customer: Contact;
  createdBy: 'customer' | 'analyst';
  /** The creating client's address pseudonym (client-address.ts), for a customer's own request: caps waiting tickets per address. */
  origin?: string;
  createdAt: number;
  /** When an analyst took it (epoch ms): the session's start, for the supervisor's view. */
  takenAt?: number;
  /** The last hand-over: who passed the session on, when, with what note, and to whom if to a colleague. */
  transfer?: Transfer;
  /** Insertion order, to break createdAt ties so the queue order is total. */
  seq: number;
  state: SessionState;
  endReason?: EndReason;
  analyst?: AnalystRef;
  /** The customer's live connection (node-qualified id), null while they are away. */
  customerConnection: string | null;
  /** The remote-control helper's connection, if one is paired. */
  helperConnection: string | null;
  customerOnline: boolean;
  /** The customer has connected at least once. */
  customerSeen: boolean;
  /** When the customer last went offline, or when the ticket was created before they ever connected. */
  offlineSince: number | null;
  /** The customer is away because their page closed its socket on purpose (a closed tab or a reload). */
  customerClosed?: boolean;
  /** Bumped by every change: optimistic concurrency between nodes (compare-and-set). */
  version: number;
}

export interface Transfer {
  fromId: string;
  fromName: string;
  /** The console that handed it over: it is told the session is no longer its. */
  fromConnection: string | null;
  note: string;
  at: number;
  /** A colleague it was handed to: only they may take it, for TRANSFER_RESERVE_MS. */
  reservedFor?: { id: string; name: string };
}

/** Where a session goes: a queue, and optionally a colleague in it. */
export interface TransferTarget {
  queue: string;
  reservedFor?: { id: string; name: string };
  note: string;
}

export type StoreResult = { ok: true; ticket: TicketRecord } | { ok: false; code: ErrorCode };

export interface NewTicket {
  queue: string;
  customer: Contact;
  createdBy: 'customer' | 'analyst';
  origin?: string;
}

export interface Presence {
  customerConnection?: string | null;
  helperConnection?: string | null;
  /** Only for a ticket an analyst took: their connection, or null while they are away. */
  analystConnection?: string | null;
  /** With a null connection: the page closed its socket on purpose (the shorter CLOSED_GRACE_MS applies). */
  closed?: boolean;
  /**
   * Only if the record still names one of these connections (else nothing changes): a connection
   * judged gone must not mark away the member who has come back on a newer one meanwhile.
   */
  onlyIf?: { customerConnection?: Array<string | null>; helperConnection?: Array<string | null>; analystConnection?: Array<string | null> };
}

/** How long each kind of absence may last before the ticket or session ends. */
export interface AbsenceLimits {
  /** A waiting customer who left (covers a page reload). */
  customer: number;
  /** A link an analyst made, never opened. */
  link: number;
  /** A session member whose connection dropped (network blip, server restart). */
  member: number;
  /** A session member whose page closed (a closed tab, or a reload that should be back in a second or two). */
  closed: number;
  /** A waiting ticket, however present its customer: no analyst took it in this time. */
  maxWait: number;
}

/** Emitted after every change, with the record as it is now (an ended record is already removed). */
export type TicketListener = (ticket: TicketRecord, previous: SessionState | null) => void;

/**
 * The one owner of ticket and session state. Reads are synchronous, from this node's view (the
 * whole state in memory; with Redis, a replica kept current by change events). Writes are atomic
 * and asynchronous: each one re-checks the state machine against the authoritative record and
 * commits only if nobody changed it meanwhile, so two analysts (on any nodes) never both take a ticket.
 */
export interface TicketStore {
  create(input: NewTicket): Promise<TicketRecord>;
  get(id: string): TicketRecord | undefined;
  byToken(token: string): TicketRecord | undefined;
  /**
   * The authoritative record for a token, for authentication: with several nodes, a ticket created
   * on another node a moment ago may not have reached this node's view yet.
   */
  fetchByToken(token: string): Promise<TicketRecord | undefined>;
  /** Waiting tickets of a queue, oldest first (the store's own line: read only; waiting-lines.ts). */
  waitingIn(queue: string): readonly TicketRecord[];
  /** 1-based place among the waiting tickets of its queue, 0 when not waiting. */
  position(id: string): number;
  /**
   * Where `ticket` stands, or stood before it left, in its queue's line (0-based): the tickets
   * from there on are the ones whose position its join or leave moved.
   */
  placeOf(ticket: TicketRecord): number;
  /** How many tickets made from `origin` (an address, /64 for IPv6) wait, over every queue. */
  waitingFrom(origin: string): number;
  take(id: string, analyst: AnalystRef): Promise<StoreResult>;
  /** Applies a state machine event; `end` needs a reason. */
  apply(id: string, event: SessionEvent, endReason?: EndReason): Promise<StoreResult>;
  /** The session's analyst (`by`) hands it over: the ticket waits again in the target queue. */
  transfer(id: string, by: string, target: TransferTarget): Promise<StoreResult>;
  /** Records who is connected for a ticket (customer, helper). */
  setPresence(id: string, presence: Presence): Promise<StoreResult>;
  /** Ends every ticket or session whose people have been away too long; returns the ended ids. */
  expireOffline(limits: AbsenceLimits): Promise<string[]>;
  /** Tickets not ended (for metrics and shutdown). */
  all(): TicketRecord[];
  subscribe(listener: TicketListener): () => void;
  close(): Promise<void>;
}
