import { CLOSE_CODES, WS_PATH, type ClientFrame, type ServerFrame } from '../../protocol/index.js';
import { Emitter } from '../emitter.js';
import { signalingReconnectPolicy, type ReconnectPolicy } from './backoff.js';

type FrameType = ServerFrame['type'];
type FrameEvents = { [K in FrameType]: [frame: Extract<ServerFrame, { type: K }>] };

export type SocketState = 'connecting' | 'open' | 'closed';

export interface CloseInfo {
  code: number;
  /** True when the server closed the socket on purpose (ticket ended, replaced, refused): no retry. */
  final: boolean;
}

/** What this client needs of a WebSocket (a fake in unit tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
}

export interface SignalingOptions {
  /**
   * Asked before each reconnection: false stops for good (the customer's ticket is over, the
   * analyst signed out), and the page says so itself.
   */
  beforeReconnect?: () => Promise<boolean>;
  policy?: ReconnectPolicy;
  /** Opens a socket to the signaling path plus `query`; the page's own origin by default. */
  openSocket?: (pathAndQuery: string) => SocketLike;
  /** Timers, injectable for tests. */
  schedule?: (run: () => void, ms: number) => () => void;
  /**
   * Calls `listener` when the device is back online (the browser's `online` event: Wi-Fi to a
   * tether, a network back after 30 s): a socket waiting out its backoff reconnects at once.
   */
  onOnline?: (listener: () => void) => void;
}

const OPEN = 1;

/**
 * The browser end of the signaling WebSocket, for the page's whole life: typed frames in and out,
 * and reconnection (jittered backoff, backoff.ts) after a drop that is not final. Listeners stay
 * subscribed across reconnections, so no one has to subscribe again to a new socket.
 */
export class SignalingClient {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private cancelRetry: () => void = () => undefined;
  private stopped = false;
  private goodbyeHooked = false;
  private onlineHooked = false;
  /** A retry is waiting out its backoff (retry()). */
  private waiting = false;
  private readonly frames = new Emitter<FrameEvents>();
  private readonly states = new Emitter<{ state: [state: SocketState, close?: CloseInfo] }>();
  private readonly policy: ReconnectPolicy;
  private readonly openSocket: (pathAndQuery: string) => SocketLike;
  private readonly schedule: (run: () => void, ms: number) => () => void;

  constructor(private readonly query = '', private readonly options: SignalingOptions = {}) {
    this.policy = options.policy ?? signalingReconnectPolicy();
    this.openSocket = options.openSocket ?? browserSocket;
    this.schedule = options.schedule ?? ((run, ms) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    });
  }

  /** Opens the first socket; the client reconnects by itself from then on until close(). */
  connect(): void {
    // Closing the tab must say goodbye (a clean close ends the session for the other side at once);
    // without it, a socket torn down with no close frame would look like a network blip and the
    // other side would wait out the reconnection grace.
    if (!this.goodbyeHooked && typeof addEventListener === 'function') {
      this.goodbyeHooked = true;
      addEventListener('pagehide', () => this.socket?.close(1000, 'page closed'));
    }
    if (!this.onlineHooked) {
      this.onlineHooked = true;
      const onOnline = this.options.onOnline ?? ((listener: () => void) => typeof addEventListener === 'function' && addEventListener('online', listener));
      onOnline(() => this.reconnectNow());
    }
    this.stopped = false;
    this.open();
  }

  /** Back online: a reconnection waiting out its backoff goes now (the jitter spreads the rest: backoff.ts). */
  private reconnectNow(): void {
    if (this.stopped || !this.waiting) return;
    this.cancelRetry();
    this.waiting = false;
    void this.reconnect();
  }

  on<T extends FrameType>(type: T, listener: (frame: Extract<ServerFrame, { type: T }>) => void): () => void {
    return this.frames.on(type, listener as never);
  }

  onState(listener: (state: SocketState, close?: CloseInfo) => void): () => void {
    return this.states.on('state', listener);
  }

  get isOpen(): boolean {
    return this.socket?.readyState === OPEN;
  }

  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Closes for good: no more reconnection. Idempotent. */
  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelRetry();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
    this.states.emit('state', 'closed', { code: 1000, final: true });
  }

  private open(): void {
    const socket = this.openSocket(`${WS_PATH}${this.query}`);
    this.socket = socket;
    this.states.emit('state', 'connecting');
    socket.onopen = () => {
      this.attempt = 0;
      this.states.emit('state', 'open');
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      this.frames.emit(frame.type, frame as never);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      // Final: the ticket is over or this socket was replaced or refused. A shutdown (4503), an
      // account change (4403) or a dropped network is not: the page reconnects and resumes.
      const final = ([CLOSE_CODES.ended, CLOSE_CODES.replaced, CLOSE_CODES.protocolViolation, 4401] as number[]).includes(event.code);
      if (final) this.stopped = true;
      this.states.emit('state', 'closed', { code: event.code, final });
      if (!this.stopped) this.retry(event.code);
    };
  }

  private retry(closeCode: number): void {
    this.attempt += 1;
    this.waiting = true;
    this.cancelRetry = this.schedule(() => {
      this.waiting = false;
      void this.reconnect();
    }, this.policy.delayMs(this.attempt, closeCode));
  }

  private async reconnect(): Promise<void> {
    if (this.stopped) return;
    const goOn = this.options.beforeReconnect ? await this.options.beforeReconnect().catch(() => true) : true;
    if (this.stopped) return;
    if (!goOn) {
      this.stopped = true;
      return;
    }
    this.open();
  }
}

function browserSocket(pathAndQuery: string): SocketLike {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(`${scheme}//${location.host}${pathAndQuery}`) as unknown as SocketLike;
}
