import { Type, type Static } from 'typebox';

// Peer family: messages the two browsers exchange over the session's WebRTC data channels. They
// never pass through the server. Each browser validates what it receives against these schemas
// (Value.Check: no code generation, so it works under the strict CSP), since the other side may
// be hostile.

export const PEER_LIMITS = {
  chatMax: 2000,
  urlMax: 2048,
  labelMax: 200,
  fileNameMax: 255,
  /** 64 GiB: far above any support need, below what a 53-bit size could express. */
  fileSizeMax: 64 * 1024 ** 3,
  /** Pending offers one side may have open at once. */
  openOffersMax: 50,
  /** A data-only session description is well under 2 KB; room for many candidates inline. */
  linkSdpMax: 8000,
} as const;

const MsgId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const ChatMessage = Type.Object(
  { type: Type.Literal('chat'), id: MsgId, text: Type.String({ minLength: 1, maxLength: PEER_LIMITS.chatMax }), sentAt: Type.Number() },
  { additionalProperties: false },
);

/** Analyst → customer: a link the customer may choose to open. */
export const UrlPush = Type.Object(
  {
    type: Type.Literal('url.push'),
    id: MsgId,
    url: Type.String({ minLength: 1, maxLength: PEER_LIMITS.urlMax }),
    label: Type.Optional(Type.String({ maxLength: PEER_LIMITS.labelMax })),
  },
  { additionalProperties: false },
);

/** Customer → analyst: the customer clicked a pushed link (transparency both ways). */
export const UrlOpened = Type.Object({ type: Type.Literal('url.opened'), id: MsgId }, { additionalProperties: false });

/** Either side offers a file; nothing is sent until the other side accepts. */
export const FileOffer = Type.Object(
  {
    type: Type.Literal('file.offer'),
    id: MsgId,
    /** Small number that prefixes each binary chunk of this file on the file channel. */
    handle: Type.Integer({ minimum: 1, maximum: 0xffffffff }),
    name: Type.String({ minLength: 1, maxLength: PEER_LIMITS.fileNameMax }),
    size: Type.Integer({ minimum: 0, maximum: PEER_LIMITS.fileSizeMax }),
    mime: Type.String({ maxLength: 255 }),
  },
  { additionalProperties: false },
);

export const FileAccept = Type.Object({ type: Type.Literal('file.accept'), id: MsgId }, { additionalProperties: false });
export const FileDecline = Type.Object({ type: Type.Literal('file.decline'), id: MsgId }, { additionalProperties: false });
/** Either side stops a pending or running transfer; both discard what they have of it. */
export const FileCancel = Type.Object({ type: Type.Literal('file.cancel'), id: MsgId }, { additionalProperties: false });
/** Receiver → sender every ACK_EVERY_BYTES: bytes received so far (drives the sender's flow window). */
export const FileAck = Type.Object(
  { type: Type.Literal('file.ack'), id: MsgId, bytes: Type.Integer({ minimum: 0, maximum: PEER_LIMITS.fileSizeMax }) },
  { additionalProperties: false },
);

/** Sender → receiver after the last chunk: the SHA-256 of everything sent, hex. */
export const FileSent = Type.Object(
  { type: Type.Literal('file.sent'), id: MsgId, sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
  { additionalProperties: false },
);
/** Receiver → sender: whether the bytes received hash to the same value. */
export const FileVerified = Type.Object(
  { type: Type.Literal('file.verified'), id: MsgId, ok: Type.Boolean() },
  { additionalProperties: false },
);

/**
 * Setting up the file connection: a second peer connection that carries only file bytes (its own SCTP
 * association, so queued file data never sits in front of chat, links or input; see
 * web/files/file-connection.ts). Negotiated over the control channel, never through the server. The
 * customer offers, the analyst answers; the description may hold only data (application) sections.
 */
const LinkSdp = Type.String({ minLength: 1, maxLength: PEER_LIMITS.linkSdpMax });
/** A file connection description may only set up data channels: one with audio or video is refused. */
export function isDataOnlySdp(sdp: string): boolean {
  const sections = sdp.split(/\r?\n/).filter((line) => line.startsWith('m='));
  return sections.length > 0 && sections.every((line) => line.startsWith('m=application '));
}
export const FileLinkOffer = Type.Object({ type: Type.Literal('file.link.offer'), sdp: LinkSdp }, { additionalProperties: false });
export const FileLinkAnswer = Type.Object({ type: Type.Literal('file.link.answer'), sdp: LinkSdp }, { additionalProperties: false });
export const FileLinkCandidate = Type.Object(
  {
    type: Type.Literal('file.link.candidate'),
    candidate: Type.String({ maxLength: 1024 }),
    sdpMid: Type.Optional(Type.String({ maxLength: 64 })),
    sdpMLineIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 })),
  },
  { additionalProperties: false },
);
/**
 * Either side → the other, over the session connection: my file link number `link` (counted from 1
 * on each side, one per offer) is gone. The other side drops its end at once rather than wait for
 * the DTLS close or ICE consent to run out (up to ~30 s when that packet is lost).
 */
export const FileLinkLost = Type.Object({ type: Type.Literal('file.link.lost'), link: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false });

/** Analyst → customer: may I use your mouse and keyboard? (A separate consent from sharing.) */
export const ControlRequest = Type.Object({ type: Type.Literal('control.request') }, { additionalProperties: false });
/** Analyst → customer: I am done with control. */
export const ControlRelease = Type.Object({ type: Type.Literal('control.release') }, { additionalProperties: false });
/** Customer → analyst: where remote control stands (the customer's page decides it). */
export const ControlState = Type.Object(
  {
    type: Type.Literal('control.state'),
    state: Type.Union([
      Type.Literal('off'), Type.Literal('asked'), Type.Literal('refused'), Type.Literal('waitingHelper'),
      Type.Literal('active'), Type.Literal('suspended'),
    ]),
  },
  { additionalProperties: false },
);
/** Analyst → customer: highlight this spot on the customer's preview (guidance without the helper). */
export const Pointer = Type.Object(
  { type: Type.Literal('pointer'), x: Type.Number({ minimum: 0, maximum: 1 }), y: Type.Number({ minimum: 0, maximum: 1 }) },
  { additionalProperties: false },
);

/** Analyst → customer: favour a sharper picture (text) or a smoother one (motion). */
export const QualityMode = Type.Object(
  { type: Type.Literal('quality.mode'), mode: Type.Union([Type.Literal('sharper'), Type.Literal('smoother')]) },
  { additionalProperties: false },
);

/**
 * The verification code's commitment (web/session/verification.ts; ZRTP's hash commitment, RFC 6189
 * §4.4.1.1): the customer commits to a fresh nonce, the analyst answers with its own, then the
 * customer reveals. The code comes from both DTLS fingerprints as negotiated and both nonces, so a
 * man in the middle must choose its values before it can know the code: one chance in 10^6.
 */
const Hex256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** Each connection's round has a higher number than the last; the pages number them from the clock, so a reloaded page starts above the one before. */
const Round = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const VerifyCommit = Type.Object({ type: Type.Literal('verify.commit'), round: Round, hash: Hex256 }, { additionalProperties: false });
export const VerifyNonce = Type.Object({ type: Type.Literal('verify.nonce'), round: Round, nonce: Hex256 }, { additionalProperties: false });
export const VerifyReveal = Type.Object({ type: Type.Literal('verify.reveal'), round: Round, nonce: Hex256 }, { additionalProperties: false });
/** Either side: my person said the codes match (logged on both sides). */
export const VerifyConfirmed = Type.Object({ type: Type.Literal('verify.confirmed'), round: Round }, { additionalProperties: false });
export const VerifyAlarmReason = Type.Union([
  Type.Literal('secondTransport'), Type.Literal('outsideBundle'), Type.Literal('fingerprintChanged'),
  Type.Literal('renegotiationRefused'), Type.Literal('commitMismatch'), Type.Literal('roundMissing'),
]);
export type VerifyAlarmReason = Static<typeof VerifyAlarmReason>;
/** Either side: this page saw something only a man in the middle explains; the other shows it too. */
export const VerifyAlarm = Type.Object({ type: Type.Literal('verify.alarm'), reason: VerifyAlarmReason }, { additionalProperties: false });

/** Round-trip probes (quality indicator and benchmarks). */
export const Ping = Type.Object({ type: Type.Literal('ping'), id: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export const Pong = Type.Object({ type: Type.Literal('pong'), id: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });

export const PeerMessage = Type.Union([
  ChatMessage, UrlPush, UrlOpened, FileOffer, FileAccept, FileDecline, FileCancel, FileAck, FileSent, FileVerified,
  FileLinkOffer, FileLinkAnswer, FileLinkCandidate, FileLinkLost,
  ControlRequest, ControlRelease, ControlState, Pointer, QualityMode, Ping, Pong,
  VerifyCommit, VerifyNonce, VerifyReveal, VerifyConfirmed, VerifyAlarm,
]);
export type PeerMessage = Static<typeof PeerMessage>;
export type PeerMessageOf<T extends PeerMessage['type']> = Extract<PeerMessage, { type: T }>;

/** Which side may send which peer message; the receiver drops anything else. */
export const PEER_ROLES: Record<PeerMessage['type'], ReadonlyArray<'customer' | 'analyst'>> = {
  chat: ['customer', 'analyst'],
  'url.push': ['analyst'],
  'url.opened': ['customer'],
  'file.offer': ['customer', 'analyst'],
  'file.accept': ['customer', 'analyst'],
  'file.decline': ['customer', 'analyst'],
  'file.cancel': ['customer', 'analyst'],
  'file.ack': ['customer', 'analyst'],
  'file.sent': ['customer', 'analyst'],
  'file.verified': ['customer', 'analyst'],
  'file.link.offer': ['customer'],
  'file.link.answer': ['analyst'],
  'file.link.candidate': ['customer', 'analyst'],
  'file.link.lost': ['customer', 'analyst'],
  'control.request': ['analyst'],
  'control.release': ['analyst'],
  'control.state': ['customer'],
  pointer: ['analyst'],
  'quality.mode': ['analyst'],
  ping: ['customer', 'analyst'],
  pong: ['customer', 'analyst'],
  'verify.commit': ['customer'],
  'verify.nonce': ['analyst'],
  'verify.reveal': ['customer'],
  'verify.confirmed': ['customer', 'analyst'],
  'verify.alarm': ['customer', 'analyst'],
};

export type PushUrlProblem = 'invalid' | 'scheme' | 'credentials' | 'tooLong' | 'privateHost';

/**
 * A host on the customer's own network or machine: loopback, private and link-local ranges (v4
 * and v6, and v4 inside v6), `.local`/`.localhost`/`.internal`/`.lan`/`.home.arpa` names and single
 * labels (`http://router/`). A pushed link there would be a request forgery against the
 * customer's router or printer, made from inside their network.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host.includes(':')) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host) ?? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) {
      const v4 = mapped.length === 2 ? mapped[1] : [parseInt(mapped[1], 16) >> 8, parseInt(mapped[1], 16) & 255, parseInt(mapped[2], 16) >> 8, parseInt(mapped[2], 16) & 255].join('.');
      return isPrivateHost(v4);
    }
    return host === '::1' || host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (!host.includes('.')) return true; // a single label: resolved on the local network
  return /\.(local|localhost|internal|lan|home\.arpa)$/.test(host) || host === 'localhost';
}

/** Text from the other side without its control, format (bidi overrides, zero width) and line-separator characters. */
export const stripInvisible = (text: string): string => text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '');

/** What a received file's name really says: control, format and direction characters removed, the extension apart. */
export function safeFileName(raw: string): { name: string; extension: string } {
  const cleaned = stripInvisible(raw)
    .replace(/[\\/]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const name = cleaned || 'file';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot + 1).toLowerCase() : '';
  return { name, extension };
}

/**
 * Only plain web links may be pushed: http(s), no user:password@ part (it can make
 * "https://bank.example@evil.example" look like the bank), and nothing on the customer's own
 * network (isPrivateHost). Plain http is allowed, with a warning shown to the customer. Checked by the analyst's page before
 * sending and again by the customer's page before showing.
 */
export function checkPushUrl(raw: string): { ok: true; url: URL } | { ok: false; problem: PushUrlProblem } {
  if (raw.length > PEER_LIMITS.urlMax) return { ok: false, problem: 'tooLong' };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'scheme' };
  if (url.username || url.password) return { ok: false, problem: 'credentials' };
  if (isPrivateHost(url.hostname)) return { ok: false, problem: 'privateHost' };
  return { ok: true, url };
}
