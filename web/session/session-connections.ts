import { isLinkClosed, LINK_CLOSED, type ClientFrame, type IceConfig, type Role, type ServerFrame } from '../../protocol/index.js';
import { Emitter } from '../emitter.js';
import { analystSignalFate, CONNECTION_TIMEOUT_MS, replacementDelay } from './connection-replacement.js';
import { NO_ICE, SessionConnection, type SessionConnectionEvents } from './session-connection.js';

/** What the owners below need of a session connection (a fake in unit tests). */
export interface ConnectionLike {
  readonly number: number;
  readonly isConnected: boolean;
  readonly isClosed: boolean;
  /** Given up after an alarm (verification.ts): the analyst's page asks for the next link. */
  readonly isAbandoned: boolean;
  readonly channels: { readonly interrupted: boolean };
  signal(data: Extract<ServerFrame, { type: 'signal' }>['data']): void;
  updateIce(ice: IceConfig): void;
  destroy(): void;
}

export type MakeConnection<C extends ConnectionLike> = (role: Role, number: number, ice: IceConfig, events: SessionConnectionEvents) => C;

const realConnection: MakeConnection<SessionConnection> = (role, number, ice, events) => new SessionConnection(role, ice, events, number);

export type ConnectionEvents<C> = {
  /** The session's connection now (null once it is over). */
  connection: [connection: C | null];
  /** It connected: the customer's page re-adds the shared screen to a new one. */
  connected: [connection: C];
  /** It closed without this page asking (a replacement follows while the session goes on). */
  closed: [connection: C];
  /** The customer's screen arrived, or went (null) (analyst side). */
  remoteStream: [stream: MediaStream | null];
  error: [detail: string];
};

interface Wiring {
  /** Sends a frame on the signaling connection; false when it is down. */
  send(frame: ClientFrame): boolean;
  isSignalingOpen(): boolean;
  schedule?: (run: () => void, ms: number) => () => void;
  /** The jitter's dice (fixed in unit tests). */
  random?: () => number;
  /**
   * The number of the next connection after `previous` (null for the page's first). The pages
   * number from the clock, so that a reloaded page starts above the one it replaces; 0, 1, 2... by default.
   */
  linkNumber?: (previous: number | null) => number;
}

const timers = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/**
 * The customer's side of a session's connections, for the session's life: it makes the offers,
 * numbers each connection, and replaces one that fails for good (connection-replacement.ts: the
 * backoff, the connect timeout, the analyst's "linkClosed"). The page's hook only subscribes.
 */
export class CustomerConnections<C extends ConnectionLike = SessionConnection> {
  private current: C | null = null;
  private last: number | null = null;
  private attempt = 0;
  private cancelReplacement: () => void = () => undefined;
  private ice: IceConfig = NO_ICE;
  private stopped = false;
  private readonly events = new Emitter<ConnectionEvents<C>>();
  private readonly schedule: (run: () => void, ms: number) => () => void;

  constructor(private readonly wiring: Wiring, private readonly make: MakeConnection<C> = realConnection as unknown as MakeConnection<C>) {
    this.schedule = wiring.schedule ?? timers;
  }

  on<K extends keyof ConnectionEvents<C>>(event: K, listener: (...args: ConnectionEvents<C>[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get connection(): C | null {
    return this.current;
  }

  /** The customer allowed the session: the first connection, if there is none yet. */
  ensure(): void {
    if (!this.current && !this.stopped) this.open();
  }

  /**
   * The customer clicked Allow, and the consent went out on the signaling socket: the first
   * connection starts now rather than a round trip later, when the server's "consented" comes
   * back (the offer follows the consent on the same socket, so the server relays it only once
   * the consent is in). Only with the ICE servers the server gives with the consent dialog.
   */
  allowed(): void {
    if (this.ice !== NO_ICE) this.ensure();
  }

  /** The first credentials, or fresh ones before the last expire: a running connection takes them too. */
  setIce(ice: IceConfig): void {
    this.ice = ice;
    this.current?.updateIce(ice);
  }

  onSignal(frame: Extract<ServerFrame, { type: 'signal' }>): void {
    const connection = this.current;
    if (!connection || (frame.link ?? 0) !== connection.number) return; // a leftover of an earlier connection
    // The analyst's end failed: no need to wait for ours.
    if (isLinkClosed(frame.data)) return this.replace(connection, 0);
    connection.signal(frame.data);
  }

  /**
   * The analyst's page is back after being away (a reload, another tab, a network change): a
   * connection that is not up now was made for a page that is gone, or its offer went nowhere.
   * The next one starts at once.
   */
  renewIfDown(): void {
    const connection = this.current;
    if (!connection || this.stopped || connection.isConnected) return;
    this.replace(connection, 0);
  }

  /**
   * The session was handed to another analyst: this connection goes, and the next analyst's comes
   * with the next consent (numbered above, with the ICE servers given with that consent dialog).
   */
  handOver(): void {
    if (this.stopped) return;
    this.cancelReplacement();
    this.current?.destroy();
    this.current = null;
    this.attempt = 0;
    this.ice = NO_ICE;
    this.events.emit('connection', null);
  }

  /** The session is over (or the page goes): no more connections. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelReplacement();
    this.current?.destroy();
    this.current = null;
    this.events.emit('connection', null);
  }

  private open(): void {
    const first = this.last === null;
    const number = this.wiring.linkNumber ? this.wiring.linkNumber(this.last) : (this.last ?? -1) + 1;
    this.last = number;
    const connection: C = this.make('customer', number, this.ice, {
      onSignal: (data) => void this.wiring.send({ type: 'signal', link: number, data }),
      onConnect: () => {
        if (this.current !== connection) return;
        this.attempt = 0;
        this.events.emit('connected', connection);
      },
      onRemoteStream: () => undefined,
      // Closed without this page asking: the path failed for good, or the analyst's page went. If
      // the session goes on, the next connection replaces it; if it ended, its end arrives first.
      onClose: () => {
        if (this.current !== connection) return;
        this.events.emit('closed', connection);
        this.replace(connection, replacementDelay(this.attempt, this.wiring.random));
      },
      onError: (detail) => this.events.emit('error', detail),
    });
    this.current = connection;
    this.events.emit('connection', connection);
    // An offer lost on the way (signaling was down, say): the connection never connects; try the next.
    if (!first) {
      this.schedule(() => {
        if (this.current === connection && !connection.isConnected && !connection.isClosed) this.replace(connection, replacementDelay(this.attempt, this.wiring.random));
      }, CONNECTION_TIMEOUT_MS);
    }
  }

  /** Replaces `dead` with the next connection after `delayMs`, once signaling is up to carry its offer. */
  private replace(dead: C, delayMs: number): void {
    this.cancelReplacement();
    this.cancelReplacement = this.schedule(() => {
      if (this.stopped || this.current !== dead) return; // the session ended, or another attempt won
      if (!this.wiring.isSignalingOpen()) return this.replace(dead, 1000);
      this.attempt += 1;
      dead.destroy();
      this.open();
    }, delayMs);
  }
}

/**
 * The analyst's side: it answers. A signal for a higher connection number is the customer's new
 * connection (drop ours, answer with a new one); a lower one is a leftover. When its own end
 * fails, it tells the customer's page at once ("linkClosed"), which then makes the next one.
 */
export class AnalystConnections<C extends ConnectionLike = SessionConnection> {
  private current: C | null = null;
  /** The customer's page came back: its next connection replaces ours, whatever its number (another device's clock). */
  private expectingNewPage = false;
  private ice: IceConfig = NO_ICE;
  private readonly events = new Emitter<ConnectionEvents<C>>();

  constructor(private readonly wiring: Wiring, private readonly make: MakeConnection<C> = realConnection as unknown as MakeConnection<C>) {}

  on<K extends keyof ConnectionEvents<C>>(event: K, listener: (...args: ConnectionEvents<C>[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get connection(): C | null {
    return this.current;
  }

  setIce(ice: IceConfig): void {
    this.ice = ice;
    this.current?.updateIce(ice);
  }

  /** The customer was away and is back (session.presence): a new page may start over with any number. */
  expectNewPage(): void {
    this.expectingNewPage = true;
  }

  onSignal(frame: Extract<ServerFrame, { type: 'signal' }>): void {
    if (isLinkClosed(frame.data)) return; // only the analyst's page says that
    const number = frame.link ?? 0;
    const newPage = this.expectingNewPage && this.current !== null && number !== this.current.number;
    if (this.expectingNewPage && (newPage || this.current?.number === number)) this.expectingNewPage = false;
    const fate = newPage ? 'replace' : analystSignalFate(this.current, number);
    if (fate === 'ignore') return;
    (fate === 'replace' ? this.open(number) : this.current!).signal(frame.data);
  }

  /** The session is over: its connection goes. Idempotent. */
  drop(): void {
    if (!this.current) return;
    this.current.destroy();
    this.current = null;
    this.events.emit('remoteStream', null);
    this.events.emit('connection', null);
  }

  private open(number: number): C {
    this.current?.destroy();
    const connection: C = this.make('analyst', number, this.ice, {
      onSignal: (data) => void this.wiring.send({ type: 'signal', link: number, data }),
      onConnect: () => this.current === connection && this.events.emit('connected', connection),
      onRemoteStream: (stream) => {
        if (this.current !== connection) return;
        this.events.emit('remoteStream', stream);
        // When the customer stops sharing, the tracks end: clear the picture.
        stream.getTracks().forEach((track) => track.addEventListener('ended', () => this.current === connection && this.events.emit('remoteStream', null)));
      },
      onClose: () => {
        if (this.current !== connection) return;
        this.events.emit('remoteStream', null);
        // Failed on this side: tell the customer's page, which makes the next connection without
        // waiting for its own end to fail. A clean close came from the customer's page: it knows.
        if (connection.channels.interrupted || connection.isAbandoned) this.wiring.send({ type: 'signal', link: number, data: LINK_CLOSED });
      },
      onError: (detail) => this.events.emit('error', detail),
    });
    this.current = connection;
    this.events.emit('connection', connection);
    return connection;
  }
}
