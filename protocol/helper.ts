import { Type, type Static } from 'typebox';

// Helper family: pairing the remote-control helper with the customer's page, and relaying their
// SDP/ICE. Input events never come here: they flow page → helper over their own data channel.

/**
 * Customer → server: give me a pairing code for a helper (only in a consented session). `drop`:
 * the helper now connected is not mine (it could not prove the secret): disconnect it.
 */
export const HelperPair = Type.Object({ type: Type.Literal('helper.pair'), drop: Type.Optional(Type.Literal(true)) }, { additionalProperties: false });

/**
 * Server → customer: the code the helper pairs with (single use, short-lived), and the token that
 * lets this page download the helper while the code lives (GET /helper/download/<platform>).
 */
export const HelperCode = Type.Object(
  {
    type: Type.Literal('helper.code'),
    code: Type.String({ pattern: '^[0-9]{6}$' }),
    expiresAt: Type.Number(),
    download: Type.String({ pattern: '^[0-9a-f]{32}$' }),
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

/**
 * The pairing carried by the downloaded helper itself. The customer's page appends it to the
 * program it downloaded (the server never sees the secret): the JSON of a PairingFile, its length
 * as 4 bytes little-endian, then this marker. Windows and Linux ignore bytes after the end of an
 * executable image; the helper reads them back from its own file.
 */
export const EMBEDDED_PAIRING_MARKER = 'RELAYDESK-PAIRING-1';
const MAX_EMBEDDED_PAIRING = 4096;

export function embeddedPairingTrailer(pairing: PairingFile): Uint8Array<ArrayBuffer> {
  const json = new TextEncoder().encode(JSON.stringify(pairing));
  const marker = new TextEncoder().encode(EMBEDDED_PAIRING_MARKER);
  const out = new Uint8Array(json.length + 4 + marker.length);
  out.set(json, 0);
  new DataView(out.buffer).setUint32(json.length, json.length, true);
  out.set(marker, json.length + 4);
  return out;
}

/**
 * The last bytes of a file (at least embeddedPairingTail() of them) → the JSON text of the pairing
 * it carries, or null when it carries none.
 */
export function readEmbeddedPairing(tail: Uint8Array): string | null {
  const marker = new TextEncoder().encode(EMBEDDED_PAIRING_MARKER);
  if (tail.length < marker.length + 4) return null;
  const at = tail.length - marker.length;
  for (let i = 0; i < marker.length; i++) if (tail[at + i] !== marker[i]) return null;
  const length = new DataView(tail.buffer, tail.byteOffset, tail.byteLength).getUint32(at - 4, true);
  if (length === 0 || length > MAX_EMBEDDED_PAIRING || length > at - 4) return null;
  return new TextDecoder().decode(tail.subarray(at - 4 - length, at - 4));
}
/** How many bytes from the end of a file readEmbeddedPairing() needs at most. */
export const EMBEDDED_PAIRING_TAIL = MAX_EMBEDDED_PAIRING + 4 + EMBEDDED_PAIRING_MARKER.length;

/** The helper programs the server can serve (`npm run helper:build` writes them to dist/helper). */
export const HELPER_PLATFORMS = ['win-x64', 'linux-x64'] as const;
export type HelperPlatform = (typeof HELPER_PLATFORMS)[number];
export const helperFileName = (platform: HelperPlatform): string => `relaydesk-helper-${platform}${platform.startsWith('win') ? '.exe' : ''}`;
export const HELPER_DOWNLOAD_PATH = '/helper/download';

/** GET /helper/downloads: what this server can serve, with sizes (for the page's button). */
export const HelperDownloads = Type.Object(
  {
    version: Type.String(),
    platforms: Type.Array(Type.Object(
      {
        platform: Type.String(),
        file: Type.String(),
        /** The program's size, and what crosses the network (precompressed, for browsers that take gzip). */
        size: Type.Integer(),
        transfer: Type.Integer(),
        sha256: Type.String(),
      },
      { additionalProperties: false },
    )),
  },
  { additionalProperties: false },
);
export type HelperDownloads = Static<typeof HelperDownloads>;

/** The download's query: the customer's ticket and the token of its live pairing code. */
export const HelperDownloadQuery = Type.Object(
  { ticket: Type.Optional(Type.String({ maxLength: 100 })), token: Type.Optional(Type.String({ maxLength: 64 })) },
);
export type HelperDownloadQuery = Static<typeof HelperDownloadQuery>;

/** Digits of a pairing code, as the helper sends it in its WebSocket URL (`/ws/helper?code=`). */
export const HELPER_CODE_PATTERN = /^[0-9]{6}$/;

/** The helper's upgrade query. A code of the wrong shape is refused as not valid (401), after the rate limit counts it. */
export const HelperSocketQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 64 })) });
export type HelperSocketQuery = Static<typeof HelperSocketQuery>;
export const HELPER_WS_PATH = '/ws/helper';
