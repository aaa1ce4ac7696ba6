import { Type, type Static } from 'typebox';
import { EndReason, Id, SessionState } from './common.js';
import { QueueOutlook } from './queue.js';

// Ticket family: the customer's view of their own ticket, and the HTTP bodies that create one.

/** Email or phone: one is needed, both are welcome (checkContact). The problem is optional (LIMITS.problemMax). */
export const TicketCreateBody = Type.Object(
  {
    queue: Type.String({ maxLength: 64 }),
    name: Type.String({ maxLength: 200 }),
    email: Type.Optional(Type.String({ maxLength: 300 })),
    phone: Type.Optional(Type.String({ maxLength: 64 })),
    problem: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type TicketCreateBody = Static<typeof TicketCreateBody>;

/** An analyst creating a ticket for a customer on the phone: only the name is required. */
export const AnalystTicketCreateBody = Type.Object(
  {
    queue: Type.String({ maxLength: 64 }),
    name: Type.String({ maxLength: 200 }),
    email: Type.Optional(Type.String({ maxLength: 300 })),
    phone: Type.Optional(Type.String({ maxLength: 64 })),
    problem: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type AnalystTicketCreateBody = Static<typeof AnalystTicketCreateBody>;

/** A code an analyst reads to a caller (POST /api/analyst/tickets): 6 digits, single use, `PHONE_CODE_TTL_MS`. */
export const PHONE_CODE_PATTERN = '^[0-9]{6}$';
export const PHONE_CODE_TTL_MS = 10 * 60_000;
export const PhoneCode = Type.Object({ code: Type.String({ pattern: PHONE_CODE_PATTERN }), expiresAt: Type.Number() }, { additionalProperties: false });
export type PhoneCode = Static<typeof PhoneCode>;

export const TicketCreated = Type.Object(
  {
    ticketId: Id,
    token: Type.String(),
    url: Type.String(),
    /** Only for a ticket an analyst made: the code the customer can type in the portal instead of opening the link. */
    code: Type.Optional(PhoneCode),
  },
  { additionalProperties: false },
);
export type TicketCreated = Static<typeof TicketCreated>;

/** POST /api/codes/redeem: the customer typed the code the analyst read them (6 digits; the page drops spaces). */
export const CodeRedeemBody = Type.Object({ code: Type.String({ pattern: PHONE_CODE_PATTERN }) }, { additionalProperties: false });
export type CodeRedeemBody = Static<typeof CodeRedeemBody>;
/** The ticket the code stood for: the customer's page goes to `url` (the same link the analyst could have sent). */
export const CodeRedeemed = Type.Object({ ticketId: Id, token: Type.String(), url: Type.String() }, { additionalProperties: false });
export type CodeRedeemed = Static<typeof CodeRedeemed>;

/** The page's upgrade query on /ws: a customer's ticket token; none for an analyst (signed in by cookie). One value, a string. */
export const SocketQuery = Type.Object({ token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) });
export type SocketQuery = Static<typeof SocketQuery>;

/** GET /api/tickets/current: the customer's page checks its link before connecting. */
export const TicketCurrent = Type.Object(
  { ticketId: Id, queue: Id, name: Type.String(), state: SessionState },
  { additionalProperties: false },
);
export type TicketCurrent = Static<typeof TicketCurrent>;

/** Server → customer: the state of their ticket, sent on connect and on every change. */
export const TicketStatus = Type.Object(
  {
    type: Type.Literal('ticket.status'),
    ticketId: Id,
    queue: Id,
    queueName: Type.String(),
    name: Type.String(),
    state: SessionState,
    /** 1-based place among the waiting tickets of the queue; 0 once taken. */
    position: Type.Integer({ minimum: 0 }),
    analystName: Type.Optional(Type.String()),
    endReason: Type.Optional(EndReason),
    /**
     * While waiting: whether the queue is open, who is there to answer, and the estimated wait at
     * this place. Sent on connecting and whenever it changed; a waiting status without it means
     * "as last told" (most position updates leave it as it was).
     */
    outlook: Type.Optional(QueueOutlook),
    /** Handed over: who passed the request on, and to which queue or colleague (the analyst's note is not shown to the customer). */
    transfer: Type.Optional(Type.Object({ fromName: Type.String(), queueName: Type.String(), toName: Type.Optional(Type.String()) }, { additionalProperties: false })),
    /** With the ended status of a session that went ahead: the customer may rate it once (POST /api/ratings). */
    ratingToken: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type TicketStatus = Static<typeof TicketStatus>;

/** Customer → server: leave the queue. */
export const TicketCancel = Type.Object({ type: Type.Literal('ticket.cancel') }, { additionalProperties: false });

/** POST /api/ratings: the customer rates the session on the ended screen. The comment goes to the analyst's console only. */
export const RatingBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 64 }),
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;
