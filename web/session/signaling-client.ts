import { CLOSE_CODES, WS_PATH, type ClientFrame, type ServerFrame } from '../../protocol/index.js';

type Listener<T> = (frame: T) => void;
type FrameType = ServerFrame['type'];

export type SocketState = 'connecting' | 'open' | 'closed';

export interface CloseInfo {
  code: number;
  /** True when the server closed the socket on purpose (ticket ended, replaced, shutting down). */
  final: boolean;
}

/** The browser end of the signaling WebSocket: typed frames in and out, nothing else. */
export class SignalingClient {
  private socket: WebSocket | null = null;
  private goodbyeHooked = false;
  private readonly listeners = new Map<FrameType, Set<Listener<ServerFrame>>>();
  private readonly stateListeners = new Set<(state: SocketState, close?: CloseInfo) => void>();

  constructor(private readonly query = '') {}

  connect(): void {
    // Closing the tab must say goodbye (a clean close ends the session for the other side at once);
    // without it, a socket torn down with no close frame would look like a network blip and the
    // other side would wait out the reconnection grace.
    if (!this.goodbyeHooked) {
      this.goodbyeHooked = true;
      addEventListener('pagehide', () => this.socket?.close(1000, 'page closed'));
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${WS_PATH}${this.query}`);
    this.socket = socket;
    this.emitState('connecting');
    socket.onopen = () => this.emitState('open');
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      this.listeners.get(frame.type)?.forEach((listener) => listener(frame));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      // Final: the ticket is over or this socket was replaced or refused. A shutdown (4503), an
      // account change (4403) or a dropped network is not: the page reconnects and resumes.
      const final = ([CLOSE_CODES.ended, CLOSE_CODES.replaced, CLOSE_CODES.protocolViolation, 4401] as number[]).includes(event.code);
      this.emitState('closed', { code: event.code, final });
    };
  }

  on<T extends FrameType>(type: T, listener: Listener<Extract<ServerFrame, { type: T }>>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<ServerFrame>);
    return () => set.delete(listener as Listener<ServerFrame>);
  }

  onState(listener: (state: SocketState, close?: CloseInfo) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
    this.emitState('closed', { code: 1000, final: true });
  }

  private emitState(state: SocketState, close?: CloseInfo): void {
    this.stateListeners.forEach((listener) => listener(state, close));
  }
}
