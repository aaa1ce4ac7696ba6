import { Type, type Static } from 'typebox';
import { Role } from './common.js';

// Signal family: WebRTC offers, answers and ICE candidates, relayed opaquely between the two
// members of a session. The server never reads `data`; it only checks membership and stamps `from`.

const SignalData = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown());

/**
 * Which peer connection of the session a signal belongs to. When a session's connection is lost
 * for good (a computer asleep, a network gone for more than ~15 s) or a page reloads, the
 * customer's page starts a new connection with a higher number; the analyst's page drops any
 * connection with a lower number, and both ignore signals for a connection they left. The
 * customer's page numbers them from the clock (milliseconds, and always above its last), so a
 * reloaded page or a second tab starts above every earlier page. Absent means 0.
 */
const LinkNumber = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Member → server. */
export const SignalSend = Type.Object(
  { type: Type.Literal('signal'), link: Type.Optional(LinkNumber), data: SignalData },
  { additionalProperties: false },
);

/** Server → the other member. `from` is stamped by the server from the connection. */
export const SignalRelay = Type.Object(
  { type: Type.Literal('signal'), from: Role, link: Type.Optional(LinkNumber), data: SignalData },
  { additionalProperties: false },
);

/**
 * The one `data` the pages send that is not simple-peer's: "my end of connection `link` is closed;
 * start the next one" (the analyst's page says it when its end fails, so the customer's page need
 * not wait for its own end to notice).
 */
export const LINK_CLOSED = { type: 'linkClosed' } as const;
export const isLinkClosed = (data: Static<typeof SignalData>): boolean => data.type === LINK_CLOSED.type;
