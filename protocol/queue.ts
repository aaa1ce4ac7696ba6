import { Type, type Static } from 'typebox';
import { Id, SessionState } from './common.js';

// Queue family: what analysts see of the waiting tickets, live.

export const QueueInfo = Type.Object({ id: Id, name: Type.String() }, { additionalProperties: false });
export type QueueInfo = Static<typeof QueueInfo>;

/**
 * What a customer may expect of a queue now: open or closed (QUEUE_HOURS; `opensAt` when it opens
 * next), how many analysts of the queue have their console open (`analystsOnline`) and how many of
 * them are free to take a request (`analystsAvailable`: available, not in a session), and the
 * estimated wait at a place in the line, in whole minutes rounded up (0: under a minute), from
 * the queue's recent takes. No estimate while the queue has too few recent takes to tell, or no
 * analyst online.
 */
export const QueueOutlook = Type.Object(
  {
    open: Type.Boolean(),
    opensAt: Type.Optional(Type.Number()),
    analystsOnline: Type.Integer({ minimum: 0 }),
    analystsAvailable: Type.Integer({ minimum: 0 }),
    estimatedMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type QueueOutlook = Static<typeof QueueOutlook>;

/**
 * A queue as the portal lists it: `full` while it holds WAITING_PER_QUEUE_MAX requests (a new one
 * would be refused with queue.full); `outlook` as for a request made now (the estimate at the end of the line).
 */
export const PortalQueue = Type.Object({ id: Id, name: Type.String(), full: Type.Boolean(), outlook: QueueOutlook }, { additionalProperties: false });
export type PortalQueue = Static<typeof PortalQueue>;

/** GET /api/queues. */
export const QueueList = Type.Array(PortalQueue);
export type QueueList = Static<typeof QueueList>;

export const TicketSummary = Type.Object(
  {
    id: Id,
    queue: Id,
    name: Type.String(),
    email: Type.String(),
    phone: Type.String(),
    /** What the customer wrote under "What is the problem?" (empty when they left it blank). */
    problem: Type.String(),
    /** Epoch milliseconds when the ticket was created (the queue is ordered by it). */
    createdAt: Type.Number(),
    customerOnline: Type.Boolean(),
    state: SessionState,
    /** Display name of the analyst who took it, once taken. */
    analystName: Type.Optional(Type.String()),
    /** A session handed over: by whom, their note, and the colleague it is kept for until `reservedUntil` (epoch ms). */
    transfer: Type.Optional(Type.Object(
      { fromName: Type.String(), note: Type.String(), reservedForId: Type.Optional(Type.String()), reservedForName: Type.Optional(Type.String()), reservedUntil: Type.Optional(Type.Number()) },
      { additionalProperties: false },
    )),
  },
  { additionalProperties: false },
);
export type TicketSummary = Static<typeof TicketSummary>;

/** Sent to an analyst when they connect: their queues and every waiting ticket in them. */
export const QueueSnapshot = Type.Object(
  {
    type: Type.Literal('queue.snapshot'),
    analystName: Type.String(),
    queues: Type.Array(QueueInfo),
    tickets: Type.Array(TicketSummary),
    serverTime: Type.Number(),
    /** The session this console takes up again after a dropped connection or a server restart. */
    resumedSessionId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** A ticket appeared in, or changed within, one of the analyst's queues. */
export const QueueTicketUpserted = Type.Object(
  { type: Type.Literal('queue.ticketUpserted'), ticket: TicketSummary },
  { additionalProperties: false },
);

/** A ticket left the queue (taken, cancelled, expired). */
export const QueueTicketRemoved = Type.Object(
  {
    type: Type.Literal('queue.ticketRemoved'),
    ticketId: Id,
    reason: Type.Union([Type.Literal('taken'), Type.Literal('ended')]),
  },
  { additionalProperties: false },
);

/**
 * Several changes to the analyst's queues at once, in order: what queue.ticketUpserted and
 * queue.ticketRemoved say one by one. The server sends the queues' changes of a short interval in
 * one frame when there is more than one (a busy support center: hundreds of joins a second would
 * otherwise be hundreds of frames a second to every console).
 */
export const QueueChanges = Type.Object(
  {
    type: Type.Literal('queue.changes'),
    changes: Type.Array(Type.Union([
      Type.Object({ upserted: TicketSummary }, { additionalProperties: false }),
      Type.Object({ removed: Id, reason: Type.Union([Type.Literal('taken'), Type.Literal('ended')]) }, { additionalProperties: false }),
    ])),
  },
  { additionalProperties: false },
);

export type QueueChange = Static<typeof QueueChanges>['changes'][number];

/** One change of a queue.changes batch as the frame of its own kind (what a console gets when nothing else changed). */
export function singleQueueChange(change: QueueChange): Static<typeof QueueTicketUpserted> | Static<typeof QueueTicketRemoved> {
  return 'upserted' in change
    ? { type: 'queue.ticketUpserted', ticket: change.upserted }
    : { type: 'queue.ticketRemoved', ticketId: change.removed, reason: change.reason };
}

/** Analyst → server: take a waiting ticket. */
export const TicketTake = Type.Object(
  { type: Type.Literal('ticket.take'), ticketId: Id },
  { additionalProperties: false },
);
