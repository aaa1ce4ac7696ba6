import { Type, type Static } from 'typebox';

// Helper family: pairing the remote-control helper with the customer's page, and relaying their
// SDP/ICE. Input events never come here: they flow page → helper over their own data channel.

/**
 * Customer → server: give me a pairing code for a helper (only in a consented session). `drop`:
 * the helper now connected is not mine (it could not prove the secret): disconnect it.
 */
export const HelperPair = Type.Object({ type: Type.Literal('helper.pair'), drop: Type.Optional(Type.Literal(true)) }, { additionalProperties: false });

/** Server → customer: the code to type into the helper; single use, short-lived. */
export const HelperCode = Type.Object(
  {
    type: Type.Literal('helper.code'),
    code: Type.String({ pattern: '^[0-9]{6}$' }),
    expiresAt: Type.Number(),
    /** The previous code was burned: wrong codes were tried (someone may be guessing). */
    burned: Type.Optional(Type.Literal(true)),
  },
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

/**
 * The pairing secret: 128 random bits the customer's page makes and hands to the helper in the
 * pairing file (never on screen: the analyst sees the whole screen during control). The code finds
 * the ticket; the secret proves that the helper and the page are the customer's own, both ways, over
 * their DTLS keys, so neither a guessed code nor a relay that swaps the SDP gets a data channel.
 */
export const HELPER_SECRET_PATTERN = /^[0-9a-f]{32}$/;
export const HELPER_PROOF_PATTERN = /^[0-9a-f]{64}$/;

/**
 * What each side's proof (HMAC-SHA256 keyed with the secret, hex) covers: the page proves it made
 * the offer with its key; the helper proves its answer, binding its own key to the page's.
 */
export function helperProofInput(side: 'page' | 'helper', code: string, pageFingerprint: string, helperFingerprint = ''): string {
  return side === 'page'
    ? `relaydesk-helper-v1|page|${code}|${pageFingerprint}`
    : `relaydesk-helper-v1|helper|${code}|${helperFingerprint}|${pageFingerprint}`;
}

/** A certificate fingerprint as both sides compare it: "sha-256 AB:CD:…", whatever the case it came in. */
export const fingerprintKey = (algorithm: string, value: string): string => `${algorithm.toLowerCase()} ${value.toUpperCase()}`;

/** The first `a=fingerprint` of a description, as fingerprintKey() writes it ('' when there is none). */
export function sdpFingerprint(sdp: string): string {
  const match = /a=fingerprint:(\S+) (\S+)/.exec(sdp);
  return match ? fingerprintKey(match[1], match[2]) : '';
}

/** The pairing file the customer's page saves and the helper reads (`--pairing <file>`). */
export const PairingFile = Type.Object(
  {
    kind: Type.Literal('relaydesk-pairing'),
    server: Type.String({ maxLength: 2048 }),
    code: Type.String({ pattern: '^[0-9]{6}$' }),
    secret: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  },
  { additionalProperties: false },
);
export type PairingFile = Static<typeof PairingFile>;
export const PAIRING_FILE_NAME = 'relaydesk-pairing.json';

/** Digits of a pairing code, as the helper sends it in its WebSocket URL (`/ws/helper?code=`). */
export const HELPER_CODE_PATTERN = /^[0-9]{6}$/;

/** The helper's upgrade query. A code of the wrong shape is refused as not valid (401), after the rate limit counts it. */
export const HelperSocketQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 64 })) });
export type HelperSocketQuery = Static<typeof HelperSocketQuery>;
export const HELPER_WS_PATH = '/ws/helper';
