import type { PeerMessage, Role, VerifyAlarmReason } from '../../protocol/index.js';
import { Emitter } from '../emitter.js';
import type { KeysCheck } from './negotiated-keys.js';
import { toHex as hex } from '../hex.js';

// The phone verification code, with a hash commitment (ZRTP, RFC 6189 §4.4.1.1 and §4.5).
//
// Over a connection's own data channel, once it is open: the customer commits to a fresh 256-bit
// nonce (verify.commit: a hash of the round, its own fingerprint and the nonce), the analyst answers
// with its nonce (verify.nonce), the customer reveals (verify.reveal) and the analyst checks the
// commitment. The code is SHA-256 over both DTLS fingerprints as each page negotiated them and both
// nonces. A man in the middle has a connection of its own with each page, so the two pages see
// different fingerprints; to make their codes match anyway it must fix one side's code before it
// can know the other's (the commitment hides the customer's nonce until the analyst's is sent),
// so it wins with probability 10^-d per session, d the number of digits: 6, what two people read
// over the phone without effort (one chance in a million).
//
// One code per session: a connection that replaces a lost one has the same two certificates (each
// page keeps its own, peer-certificate.ts) and shows the same code with no new round. Different
// fingerprints (a reload, or someone in the middle of the new connection) start a new round and a
// new code, marked as changed. Every renegotiation re-reads the keys: a second transport, one
// outside the bundle or a changed fingerprint raises the alarm on both pages.

/** What the verification needs of a session connection (a fake in unit tests). */
export interface VerifiedConnection {
  readonly channels: {
    sendControl(message: PeerMessage): boolean;
    onControl(listener: (message: PeerMessage) => void): () => void;
    whenOpen(): Promise<void>;
  };
  /** The keys it negotiated; null until it has both descriptions. */
  readKeys(): Promise<KeysCheck | null>;
  /** A negotiation completed (the first, or a renegotiation: the screen added, say). */
  onNegotiated(listener: () => void): () => void;
  /** The browser refused a renegotiation from the other side. */
  onNegotiationRefused(listener: () => void): () => void;
  /**
   * Gives the connection up as a failed one (the next connection replaces it): after an alarm
   * about what this connection negotiated, it may no longer carry the alarm (a transport moved
   * where nothing answers), and nothing more should go over it.
   */
  abandon(): void;
}

/** Alarms about what the connection itself negotiated: it is given up, and the next one carries them. */
const NEGOTIATION_ALARMS: ReadonlySet<VerifyAlarmReason> = new Set(['secondTransport', 'outsideBundle', 'fingerprintChanged', 'renegotiationRefused']);

export type VerificationEvents = {
  change: [];
  /** A new code, or the first: `changed` when it differs from the session's first. */
  code: [code: string, changed: boolean];
  alarm: [reason: VerifyAlarmReason, fromPeer: boolean];
  confirmed: [by: 'me' | 'peer'];
};

export interface VerificationOptions {
  digits?: number;
  random?: () => Uint8Array;
  sha256?: Sha256;
  /** How long the analyst's page waits for the customer's round on a connection with new keys. */
  roundTimeoutMs?: number;
  /** The session's first code, from before this page was reloaded: later codes are compared with it. */
  firstCode?: string | null;
  /**
   * The customer's number for its next round, after `last` (0 before the first): the pages take
   * the clock, so that a reloaded page's round is above every round the analyst's page has seen
   * (it drops a round that is not newer). 1, 2, 3... by default.
   */
  roundNumber?: (last: number) => number;
  schedule?: (run: () => void, ms: number) => () => void;
}

export type Sha256 = (data: Uint8Array) => Promise<Uint8Array>;
const webSha256: Sha256 = async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
const webRandom = () => crypto.getRandomValues(new Uint8Array(32));
const timers = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};
const text = (value: string) => new TextEncoder().encode(value);

/** The commitment the customer sends: it binds the round, the customer's fingerprint and its nonce. */
export async function commitment(round: number, customerKey: string, nonce: string, sha256: Sha256 = webSha256): Promise<string> {
  return hex(await sha256(text(`relaydesk-sas-v2|commit|${round}|${customerKey}|${nonce}`)));
}

/** The code: `digits` digits of SHA-256 over both fingerprints and both nonces, in groups of three. */
export async function sasCode(keys: { customer: string; analyst: string }, nonces: { customer: string; analyst: string }, digits = 6, sha256: Sha256 = webSha256): Promise<string> {
  const digest = await sha256(text(`relaydesk-sas-v2|code|${keys.customer}|${keys.analyst}|${nonces.customer}|${nonces.analyst}`));
  // 48 bits reduced mod 10^d: the bias is below 10^-8 for six digits.
  let number = 0;
  for (let i = 0; i < 6; i++) number = number * 256 + digest[i];
  const value = String(number % 10 ** digits).padStart(digits, '0');
  return value.replace(/(\d{3})(?=\d)/g, '$1 ');
}

interface Verified {
  round: number;
  keys: { customer: string; analyst: string };
  code: string;
}

/** One per session, on both pages; it follows the session's connections (attach). */
export class Verification {
  /** The code of the current connection (null while it is being worked out). */
  code: string | null = null;
  /** It differs from the session's first code. */
  changed = false;
  confirmedByMe = false;
  confirmedByPeer = false;
  /** The first alarm of the session (it stays), and whether the other page raised it. */
  alarm: { reason: VerifyAlarmReason; fromPeer: boolean } | null = null;
  private readonly raised = new Set<VerifyAlarmReason>();
  private firstCode: string | null = null;
  private verified: Verified | null = null;
  private lastRound = 0;
  private connection: VerifiedConnection | null = null;
  private offs: Array<() => void> = [];
  /**
   * Alarms this page raised: each new connection carries them to the other page again (a message
   * sent as a connection dies is lost with it; the other page drops repeats).
   */
  private readonly raisedHere: VerifyAlarmReason[] = [];
  private readonly events = new Emitter<VerificationEvents>();
  private readonly digits: number;
  private readonly random: () => Uint8Array;
  private readonly sha256: Sha256;
  private readonly schedule: (run: () => void, ms: number) => () => void;

  constructor(readonly role: Role, private readonly options: VerificationOptions = {}) {
    this.digits = options.digits ?? 6;
    this.random = options.random ?? webRandom;
    this.sha256 = options.sha256 ?? webSha256;
    this.schedule = options.schedule ?? timers;
    this.firstCode = options.firstCode ?? null;
  }

  /** The session's first code (kept across a reload, session-history.ts). */
  get firstCodeOfSession(): string | null {
    return this.firstCode;
  }

  on<K extends keyof VerificationEvents>(event: K, listener: (...args: VerificationEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** The session's next connection: its keys are read and checked, and verified anew if they changed. */
  attach(connection: VerifiedConnection): void {
    if (connection === this.connection) return;
    this.detach();
    this.connection = connection;
    this.setCode(null);
    // Listening from the start: a commit may come as soon as the control channel opens.
    const state = new ConnectionRound(connection);
    this.offs.push(
      connection.channels.onControl((message) => void this.onMessage(state, message)),
      connection.onNegotiated(() => void this.recheck(state)),
      connection.onNegotiationRefused(() => this.raise('renegotiationRefused')),
    );
    void this.run(state);
  }

  /** Stops following the current connection (the session is over). */
  detach(): void {
    this.offs.forEach((off) => off());
    this.offs = [];
    this.connection = null;
  }

  /** My person heard the same code: the other page logs it too. */
  confirm(): void {
    if (!this.code || !this.verified || this.confirmedByMe) return;
    this.confirmedByMe = true;
    this.connection?.channels.sendControl({ type: 'verify.confirmed', round: this.verified.round });
    this.events.emit('confirmed', 'me');
    this.events.emit('change');
  }

  private async run(state: ConnectionRound): Promise<void> {
    const connection = state.connection;
    try {
      await connection.channels.whenOpen();
    } catch {
      return; // closed before it opened: the next connection takes over
    }
    if (this.connection !== connection) return;
    for (const reason of this.raisedHere) connection.channels.sendControl({ type: 'verify.alarm', reason });
    const keys = await this.keysOf(connection);
    if (this.connection !== connection || !keys) return;
    if (!keys.ok) return this.raise(keys.reason);
    state.keys = this.sessionKeys(keys);
    state.ready.resolve();
    const verified = this.verified;
    if (verified && verified.keys.customer === state.keys.customer && verified.keys.analyst === state.keys.analyst) {
      return this.setCode(verified.code); // the same two certificates: the same code, nothing to read again
    }
    // New keys: a round, and an alarm if it does not complete (someone kept it from us).
    this.offs.push(this.schedule(() => this.connection === connection && !state.done && this.raise('roundMissing'), this.options.roundTimeoutMs ?? 15_000));
    if (this.role === 'customer') await this.commit(state);
  }

  /** Reads the keys once the connection has both descriptions (polled: they come with the first negotiation). */
  private async keysOf(connection: VerifiedConnection): Promise<KeysCheck | null> {
    for (let tries = 0; tries < 120 && this.connection === connection; tries++) {
      const keys = await connection.readKeys();
      if (keys) return keys;
      await new Promise<void>((resolve) => this.schedule(resolve, 250));
    }
    return null;
  }

  /** Each fingerprint by whose it is: the customer's and the analyst's. */
  private sessionKeys(keys: { local: string; remote: string }) {
    return this.role === 'customer' ? { customer: keys.local, analyst: keys.remote } : { customer: keys.remote, analyst: keys.local };
  }

  private async commit(state: ConnectionRound): Promise<void> {
    state.round = this.options.roundNumber ? this.options.roundNumber(this.lastRound) : this.lastRound + 1;
    this.lastRound = state.round;
    state.nonce = hex(this.random());
    const hash = await commitment(state.round, state.keys!.customer, state.nonce, this.sha256);
    if (this.connection !== state.connection) return;
    state.connection.channels.sendControl({ type: 'verify.commit', round: state.round, hash });
  }

  private async onMessage(state: ConnectionRound, message: PeerMessage): Promise<void> {
    if (this.connection !== state.connection) return;
    switch (message.type) {
      case 'verify.commit': {
        // One round per connection, always newer than the last: a replayed or second commit is dropped.
        if (this.role !== 'analyst' || state.round !== 0 || message.round <= this.lastRound) return;
        state.round = message.round;
        this.lastRound = message.round;
        state.commit = message.hash;
        await state.ready.promise;
        if (this.connection !== state.connection || !state.keys) return;
        state.nonce = hex(this.random());
        state.connection.channels.sendControl({ type: 'verify.nonce', round: state.round, nonce: state.nonce });
        return;
      }
      case 'verify.nonce': {
        if (this.role !== 'customer' || message.round !== state.round || state.peerNonce || !state.nonce) return;
        state.peerNonce = message.nonce;
        state.connection.channels.sendControl({ type: 'verify.reveal', round: state.round, nonce: state.nonce });
        return this.finish(state, { customer: state.nonce, analyst: message.nonce });
      }
      case 'verify.reveal': {
        if (this.role !== 'analyst' || message.round !== state.round || !state.nonce || state.done) return;
        const expected = await commitment(state.round, state.keys!.customer, message.nonce, this.sha256);
        if (expected !== state.commit) return this.raise('commitMismatch');
        return this.finish(state, { customer: message.nonce, analyst: state.nonce });
      }
      case 'verify.confirmed':
        if (!this.verified || message.round !== this.verified.round || this.confirmedByPeer) return;
        this.confirmedByPeer = true;
        this.events.emit('confirmed', 'peer');
        this.events.emit('change');
        return;
      case 'verify.alarm':
        return this.raise(message.reason, true);
    }
  }

  private async finish(state: ConnectionRound, nonces: { customer: string; analyst: string }): Promise<void> {
    state.done = true;
    const code = await sasCode(state.keys!, nonces, this.digits, this.sha256);
    if (this.connection !== state.connection) return;
    this.verified = { round: state.round, keys: state.keys!, code };
    this.confirmedByMe = false;
    this.confirmedByPeer = false;
    this.setCode(code);
  }

  /** After every negotiation: the same transport, the same two certificates, or the alarm. */
  private async recheck(state: ConnectionRound): Promise<void> {
    const keys = await state.connection.readKeys();
    if (this.connection !== state.connection || !keys) return;
    if (!keys.ok) return this.raise(keys.reason);
    if (!state.keys) return; // the first read is still under way
    const now = this.sessionKeys(keys);
    if (now.customer !== state.keys.customer || now.analyst !== state.keys.analyst) this.raise('fingerprintChanged');
  }

  private setCode(code: string | null): void {
    this.code = code;
    if (code) {
      this.firstCode ??= code;
      this.changed = code !== this.firstCode;
      this.events.emit('code', code, this.changed);
    }
    this.events.emit('change');
  }

  /** Raises the alarm here and on the other page (once per reason); the first one stays on screen. */
  private raise(reason: VerifyAlarmReason, fromPeer = false): void {
    if (this.raised.has(reason)) return;
    this.raised.add(reason);
    this.alarm ??= { reason, fromPeer };
    if (!fromPeer) {
      this.raisedHere.push(reason);
      this.connection?.channels.sendControl({ type: 'verify.alarm', reason });
    }
    this.events.emit('alarm', reason, fromPeer);
    this.events.emit('change');
    // Sent, perhaps, but a renegotiation an attacker made may have moved the channel to a
    // transport nothing answers: the connection goes, and the next one says it again first thing
    // (run()). After the page heard the alarm: giving the connection up has effects of its own.
    if (!fromPeer && NEGOTIATION_ALARMS.has(reason)) this.connection?.abandon();
  }
}

/** One connection's round: its keys, and the values exchanged on it. */
class ConnectionRound {
  keys: { customer: string; analyst: string } | null = null;
  round = 0;
  nonce: string | null = null;
  peerNonce: string | null = null;
  commit: string | null = null;
  done = false;
  readonly ready = deferred();
  constructor(readonly connection: VerifiedConnection) {}
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
