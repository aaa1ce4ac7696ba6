import { Type, type Static } from 'typebox';

// Shared field formats. The same limits apply in the page (for early feedback) and on the server.
export const LIMITS = {
  nameMax: 100,
  emailMax: 254,
  phoneMax: 32,
  /** The optional "What is the problem?" of a request: a sentence or two for the analyst. */
  problemMax: 500,
  /** The optional comment with a rating (it goes to the analyst's console only). */
  ratingCommentMax: 500,
  /** The note an analyst leaves with a session they hand over. */
  transferNoteMax: 500,
  /** Max bytes of one WebSocket frame. SDP with many candidates stays well under 16 KB. */
  frameMaxBytes: 64 * 1024,
  /** Max bytes of an HTTP JSON body. */
  bodyMaxBytes: 8 * 1024,
} as const;

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const SessionState = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('offered'),
  Type.Literal('consented'),
  Type.Literal('live'),
  Type.Literal('ended'),
]);
export type SessionState = Static<typeof SessionState>;

export const EndReason = Type.Union([
  Type.Literal('refused'),
  Type.Literal('cancelled'),
  Type.Literal('customerEnded'),
  Type.Literal('analystEnded'),
  Type.Literal('customerLeft'),
  Type.Literal('analystLeft'),
  /** The customer's page was closed (not reloaded: it did not come back within CLOSED_GRACE_MS). */
  Type.Literal('customerClosed'),
  Type.Literal('analystClosed'),
  Type.Literal('expired'),
  Type.Literal('serverShutdown'),
  /** One of them said the verification codes differ: someone may be in the middle. */
  Type.Literal('codeMismatch'),
  /** No analyst took the request within MAX_WAIT_MS. */
  Type.Literal('waitedTooLong'),
  /** To the analyst who handed the session over: it is no longer theirs (the customer's ticket goes on). */
  Type.Literal('transferred'),
]);
export type EndReason = Static<typeof EndReason>;

export const Role = Type.Union([Type.Literal('customer'), Type.Literal('analyst')]);
export type Role = Static<typeof Role>;
