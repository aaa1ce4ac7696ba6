import { Type, type Static } from 'typebox';
import { EndReason, Id, SessionState } from './common.js';
import { TicketSummary } from './queue.js';

// Session family: consent, sharing state and the end of a session. The session id is the ticket id.

/** Server → analyst: you took the ticket; the session view opens and waits for the customer's consent. */
export const SessionStarted = Type.Object(
  { type: Type.Literal('session.started'), sessionId: Id, ticket: TicketSummary },
  { additionalProperties: false },
);

/** Server → both members: the session moved to a new state. */
export const SessionStateFrame = Type.Object(
  {
    type: Type.Literal('session.state'),
    sessionId: Id,
    state: SessionState,
    endReason: Type.Optional(EndReason),
  },
  { additionalProperties: false },
);
export type SessionStateFrame = Static<typeof SessionStateFrame>;

/**
 * Server → both members, during a session: whether each member's page is connected right now. A
 * member away is "reconnecting" for the other (a reload, a second tab, a network change), never
 * "left", until the grace ends the session. `customerPage`: the customer's page is a new one (a
 * reload, another tab): the analyst's page expects a new peer connection from it.
 */
export const SessionPresence = Type.Object(
  { type: Type.Literal('session.presence'), sessionId: Id, customer: Type.Boolean(), analyst: Type.Boolean() },
  { additionalProperties: false },
);
export type SessionPresence = Static<typeof SessionPresence>;

/** Customer → server: the answer to the consent dialog. */
export const ConsentReply = Type.Object(
  { type: Type.Literal('consent.reply'), allow: Type.Boolean() },
  { additionalProperties: false },
);

/** Customer → server: screen sharing started or stopped (drives consented ⇄ live). */
export const ShareState = Type.Object(
  { type: Type.Literal('share.state'), sharing: Type.Boolean() },
  { additionalProperties: false },
);

/** Analyst → server: the media route getStats selected, for the ops metrics (no addresses). */
export const SessionRoute = Type.Object(
  { type: Type.Literal('session.route'), route: Type.Union([Type.Literal('direct'), Type.Literal('relay')]) },
  { additionalProperties: false },
);

/** Either member → server: end the session now. */
/** Either member hangs up; `codeMismatch` when they said the verification codes differ. */
export const SessionEnd = Type.Object(
  { type: Type.Literal('session.end'), reason: Type.Optional(Type.Literal('codeMismatch')) },
  { additionalProperties: false },
);

export const IceServer = Type.Object(
  {
    urls: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 8 }),
    username: Type.Optional(Type.String()),
    credential: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const IceConfig = Type.Object(
  {
    iceServers: Type.Array(IceServer, { maxItems: 8 }),
    /** "relay" forces every byte through TURN (hides each side's addresses from the other). */
    iceTransportPolicy: Type.Union([Type.Literal('all'), Type.Literal('relay')]),
  },
  { additionalProperties: false },
);
export type IceConfig = Static<typeof IceConfig>;

/**
 * Server → both members, right when the customer allows the session and before any signal:
 * the STUN/TURN servers to use, with short-lived TURN credentials issued for this member only.
 */
export const SessionIce = Type.Object(
  { type: Type.Literal('session.ice'), sessionId: Id, ...IceConfig.properties },
  { additionalProperties: false },
);

/** Server → analyst: the customer rated the session that just ended (the comment is never stored on the server). */
export const SessionRated = Type.Object(
  {
    type: Type.Literal('session.rated'),
    sessionId: Id,
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/**
 * Analyst → server: hand the session over, to a queue (`queue`), or to a colleague in it
 * (`analystId`: only they may take it for 2 minutes). The note goes to the next analyst. The
 * customer's ticket waits again (in its old place in the line); the next analyst takes it, and the
 * customer consents again, to that person, on a new peer connection.
 */
export const SessionTransfer = Type.Object(
  {
    type: Type.Literal('session.transfer'),
    queue: Id,
    analystId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
