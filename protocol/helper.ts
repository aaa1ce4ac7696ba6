import { Type, type Static } from '@sinclair/typebox';

// Helper family: pairing the remote-control helper with the customer's page, and relaying their
// SDP/ICE. Input events never come here: they flow page → helper over their own data channel.

/** Customer → server: give me a pairing code for a helper (only in a consented session). */
export const HelperPair = Type.Object({ type: Type.Literal('helper.pair') }, { additionalProperties: false });

/** Server → customer: the code to type into the helper; single use, short-lived. */
export const HelperCode = Type.Object(
  { type: Type.Literal('helper.code'), code: Type.String({ pattern: '^[0-9]{6}$' }), expiresAt: Type.Number() },
  { additionalProperties: false },
);

export const ScreenSize = Type.Object(
  { width: Type.Integer({ minimum: 1, maximum: 100_000 }), height: Type.Integer({ minimum: 1, maximum: 100_000 }) },
  { additionalProperties: false },
);

/** Helper → server, once connected: what it runs on (shown to the customer). */
export const HelperHello = Type.Object(
  { type: Type.Literal('helper.hello'), platform: Type.String({ maxLength: 40 }), screen: ScreenSize },
  { additionalProperties: false },
);

/** Server → customer: whether a helper is connected for this ticket. */
export const HelperStatus = Type.Object(
  {
    type: Type.Literal('helper.status'),
    connected: Type.Boolean(),
    platform: Type.Optional(Type.String()),
    screen: Type.Optional(ScreenSize),
  },
  { additionalProperties: false },
);

const HelperSignalData = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown());

/** Customer ⇄ helper through the server: SDP and ICE for their local data channel (opaque). */
export const HelperSignal = Type.Object(
  { type: Type.Literal('helper.signal'), data: HelperSignalData },
  { additionalProperties: false },
);

/** Digits of a pairing code, as the helper sends it in its WebSocket URL (`/ws/helper?code=`). */
export const HELPER_CODE_PATTERN = /^[0-9]{6}$/;

/** The helper's upgrade query. A code of the wrong shape is refused as not valid (401), after the rate limit counts it. */
export const HelperSocketQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 64 })) });
export type HelperSocketQuery = Static<typeof HelperSocketQuery>;
export const HELPER_WS_PATH = '/ws/helper';
