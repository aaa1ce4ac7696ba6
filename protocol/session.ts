import { Type, type Static } from '@sinclair/typebox';
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

/** Either member → server: end the session now. */
export const SessionEnd = Type.Object({ type: Type.Literal('session.end') }, { additionalProperties: false });
