import { Value } from 'typebox/value';
import { InputEvent, PEER_ROLES, PeerMessage, type Role } from '../../protocol/index.js';
import { isConnected, isInterrupted } from './connectivity.js';
import { Emitter } from '../emitter.js';
import { beginFrame, parseBeginFrame, SESSION_CHUNK_BYTES } from '../files/file-framing.js';
import { FAST_CHANNEL_ID, parseFastCopy, SequencedLane } from './fast-lane.js';

// The session's data channels, separate so a large file never delays chat, links or (later)
// remote input: SCTP schedules the streams round-robin, and the file sender keeps its own queue
// short (see FILE_HIGH_WATER). They are pre-negotiated (same id on both sides, no DCEP), created
// with the peer connection, so neither side can miss the other's first message.
// Control and input messages also travel as fast copies on `fast` (fast-lane.ts), so a lost packet
// on a lossy link does not hold them for SCTP's retransmission timer.
export const CHANNEL_IDS = { control: 100, file: 101, input: 102, fast: FAST_CHANNEL_ID } as const;

/** The file sender pauses above this much queued data and resumes below FILE_LOW_WATER. */
export const FILE_HIGH_WATER = 4 * 1024 * 1024;
export const FILE_LOW_WATER = 1024 * 1024;

/**
 * While remote-control input flows (an event within INPUT_ACTIVE_MS, sent or received), files sent
 * from this page keep to this many bytes a second: input first. A transfer at full speed keeps
 * both ends' CPUs and the path busy, and each input event then waits its turn at every hop
 * (measured: p99 97 ms from the analyst's event to its injection during a loopback transfer,
 * against 8 ms idle). Full speed again INPUT_ACTIVE_MS after the last event.
 */
export const INPUT_FILE_BYTES_PER_S = 8 * 1024 * 1024;
export const INPUT_ACTIVE_MS = 500;

export type ControlListener = (message: PeerMessage) => void;
/** File bytes, with the handle of the transfer the last `begin` message on their channel named. */
export type ChunkListener = (handle: number, chunk: ArrayBuffer, route: FileRouteName) => void;

/** Which connection file bytes travel on: the file connection, or the session connection itself. */
/** Where a file's bytes travel: the file connection's channel, or the session connection's own. */
export type FileRouteName = 'file' | 'session';

/**
 * A channel file bytes can travel on: the `file` channel of this connection (always there), or
 * the one of the dedicated file connection (file-connection.ts) once it is open. Each keeps its own `begin`
 * state, since each is ordered only within itself.
 */
interface FileRoute {
  channel: RTCDataChannel;
  /**
   * Whether the path of its peer connection was interrupted (connectivity.ts) when the browser
   * last said. Kept through close(): simple-peer closes a failed connection before others hear of
   * the failure, so afterwards the state reads "closed" and only this tells a lost path from a
   * goodbye.
   */
  pathDown: boolean;
  incomingHandle: number;
  /** The size of the file messages sent on it (file-framing.ts). */
  chunkBytes: number;
}

/** The route a file is sent on, as beginFile() chose it. */
export interface FileSending {
  route: FileRouteName;
  chunkBytes: number;
}

export class PeerChannels {
  readonly control: RTCDataChannel;
  readonly file: RTCDataChannel;
  /** Remote-control input, analyst → customer: its own stream, never behind file chunks. */
  readonly input: RTCDataChannel;
  /** Unordered, never retransmitted: the fast copies of small control and input messages. */
  readonly fast: RTCDataChannel;
  private readonly lanes: { c: SequencedLane; i: SequencedLane };
  private readonly events = new Emitter<{
    input: [event: InputEvent];
    control: Parameters<ControlListener>;
    chunk: Parameters<ChunkListener>;
    close: [];
    routeLost: [];
    connectivity: [];
  }>();
  private closed = false;
  /** Where file bytes may arrive: this connection's file channel, then the file connection's. */
  private readonly routes: FileRoute[];
  /** The route the file being sent travels on, chosen by beginFile(). */
  private sending: FileRoute;
  /** Messages the other side sent that failed validation (dropped). */
  rejected = 0;
  /** When the last remote-control input event went out or came in (performance.now()). */
  private lastInputAt = Number.NEGATIVE_INFINITY;
  /** The earliest time the next file chunk may go while input flows. */
  private paceAt = 0;

  constructor(pc: RTCPeerConnection, private readonly remoteRole: Role) {
    this.control = pc.createDataChannel('control', { negotiated: true, id: CHANNEL_IDS.control, ordered: true });
    this.file = pc.createDataChannel('file', { negotiated: true, id: CHANNEL_IDS.file, ordered: true });
    this.input = pc.createDataChannel('input', { negotiated: true, id: CHANNEL_IDS.input, ordered: true });
    this.fast = pc.createDataChannel('fast', { negotiated: true, id: CHANNEL_IDS.fast, ordered: false, maxRetransmits: 0 });
    this.lanes = {
      c: new SequencedLane('c', this.control, this.fast, (data) => this.onControlMessage(data)),
      i: new SequencedLane('i', this.input, this.fast, (data) => this.onInputMessage(data)),
    };
    this.input.onmessage = (event) => this.lanes.i.onReliable(event.data);
    this.control.onmessage = (event) => this.lanes.c.onReliable(event.data);
    this.fast.onmessage = (event) => this.onFastMessage(event.data);
    this.routes = [];
    this.sending = this.addRoute(this.file, pc, SESSION_CHUNK_BYTES);
    for (const channel of [this.control, this.file]) channel.addEventListener('close', () => this.markClosed());
  }

  /** Whether the session connection (chat, links, control, the fallback file route) lost its path for now. */
  get interrupted(): boolean {
    return this.routes[0].pathDown;
  }

  /**
   * Whether the path of `route` is interrupted: the session connection's for 'session', the file
   * connection's for 'file' (a file connection no longer attached counts as interrupted: its files are lost).
   */
  routeInterrupted(route: FileRouteName): boolean {
    if (route === 'session') return this.interrupted;
    return this.routes.length < 2 || this.routes[this.routes.length - 1].pathDown;
  }

  /** Called whenever the session connection's or the file connection's path state changes. */
  onConnectivity(listener: () => void): () => void {
    return this.events.on('connectivity', listener);
  }

  get isOpen(): boolean {
    return this.control.readyState === 'open' && this.file.readyState === 'open';
  }

  /** Resolves once both channels are open (rejects if they close first). */
  whenOpen(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.isOpen) resolve();
        else if (this.closed) reject(new Error('closed'));
      };
      this.control.addEventListener('open', check);
      this.file.addEventListener('open', check);
      this.onClose(() => reject(new Error('closed')));
    });
  }

  sendControl(message: PeerMessage): boolean {
    return this.lanes.c.send(JSON.stringify(message));
  }

  /** How many control and input messages arrived first by their fast copy (diagnostic). */
  get fastFirst(): number {
    return this.lanes.c.fastFirst + this.lanes.i.fastFirst;
  }

  /**
   * Takes the file connection's channel (file-connection.ts) as the route for files sent from now on. Bytes
   * may arrive on either route; a file never changes route midway. Returns the function that
   * detaches it again: with `lost`, files on it are reported lost (onFileRouteLost); without, at
   * session end, silently. Files on it are sent in messages of `chunkBytes`; `connection` is the
   * link's peer connection, whose path state routeInterrupted('file') reports.
   */
  attachFileConnection(channel: RTCDataChannel, chunkBytes: number, connection: RTCPeerConnection): (lost: boolean) => void {
    if (this.closed || this.routes.some((route) => route.channel === channel)) return () => undefined;
    this.addRoute(channel, connection, chunkBytes);
    const remove = () => {
      const index = this.routes.findIndex((route) => route.channel === channel);
      if (index > 0) this.routes.splice(index, 1);
      return index > 0;
    };
    const detach = (lost: boolean) => {
      if (remove() && lost && !this.closed) this.events.emit('routeLost');
    };
    // Closed under us (the link failed, the other side closed it) is a loss for the files on it.
    channel.addEventListener('close', () => detach(true));
    return detach;
  }

  /** 'file' while files go over the file connection, 'session' over this connection. */
  get fileRoute(): FileRouteName {
    return this.routeName(this.preferredRoute().channel);
  }

  /** Called when the file connection closes while this connection stays: files on it are lost. */
  onFileRouteLost(listener: () => void): () => void {
    return this.events.on('routeLost', listener);
  }

  /**
   * Announces that the file bytes sent next belong to transfer `handle` (file-framing.ts), on the
   * best open route; sendChunk() and fileDrained() stay on that route until the next file.
   * Returns which route that is and the chunk size to send on it.
   */
  beginFile(handle: number): FileSending {
    this.sending = this.preferredRoute();
    this.sending.channel.send(beginFrame(handle));
    return { route: this.routeName(this.sending.channel), chunkBytes: this.sending.chunkBytes };
  }

  /**
   * Sends file bytes, at most the chunk size beginFile() gave; the channel copies them, so the
   * caller may reuse the buffer at once.
   */
  sendChunk(bytes: Uint8Array): void {
    this.sending.channel.send(bytes as Uint8Array<ArrayBuffer>);
    if (!this.inputFlowing()) return;
    const now = performance.now();
    this.paceAt = Math.max(this.paceAt, now) + (bytes.byteLength / INPUT_FILE_BYTES_PER_S) * 1000;
  }

  /**
   * Whether remote-control input flows now. Not in a hidden page: its timers may be held to one a
   * second, and the pace would starve the transfer.
   */
  inputFlowing(now = performance.now()): boolean {
    if (now - this.lastInputAt >= INPUT_ACTIVE_MS) return false;
    return typeof document === 'undefined' || document.visibilityState !== 'hidden';
  }

  sendInput(event: InputEvent): boolean {
    if (!this.lanes.i.send(JSON.stringify(event))) return false;
    this.lastInputAt = performance.now();
    return true;
  }

  /** Input events from the analyst, validated; only the customer's side listens. */
  onInput(listener: (event: InputEvent) => void): () => void {
    return this.events.on('input', listener);
  }

  onControl(listener: ControlListener): () => void {
    return this.events.on('control', listener);
  }

  onChunk(listener: ChunkListener): () => void {
    return this.events.on('chunk', listener);
  }

  /** Called once when the channels close; at once if they already did. */
  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    return this.events.once('close', listener);
  }

  /**
   * Waits until the sending route's queue has drained below the low-water mark and, while
   * remote-control input flows, until the input-first pace lets the next chunk go.
   */
  async fileDrained(): Promise<void> {
    await this.drained();
    const wait = this.paceAt - performance.now();
    if (wait > 0 && this.inputFlowing()) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private async drained(): Promise<void> {
    const { channel } = this.sending;
    if (channel.bufferedAmount <= FILE_HIGH_WATER) return;
    await new Promise<void>((resolve, reject) => {
      let offClose = () => undefined as void;
      const done = () => {
        channel.removeEventListener('bufferedamountlow', done);
        channel.removeEventListener('close', done);
        // Every pause subscribes; each one leaves nothing behind (it kept one listener per pause).
        offClose();
        if (this.closed || channel.readyState !== 'open') reject(new Error('closed'));
        else resolve();
      };
      channel.addEventListener('bufferedamountlow', done);
      channel.addEventListener('close', done);
      offClose = this.onClose(done);
    });
  }

  private addRoute(channel: RTCDataChannel, connection: RTCPeerConnection, chunkBytes: number): FileRoute {
    const route: FileRoute = { channel, pathDown: false, incomingHandle: 0, chunkBytes };
    let wasConnected = isConnected(connection);
    connection.addEventListener('iceconnectionstatechange', () => {
      if (this.closed || connection.iceConnectionState === 'closed') return;
      wasConnected ||= isConnected(connection);
      route.pathDown = isInterrupted(connection, wasConnected);
      this.events.emit('connectivity');
    });
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = FILE_LOW_WATER;
    channel.onmessage = (event) => this.onFileMessage(route, event.data);
    this.routes.push(route);
    return route;
  }

  private routeName(channel: RTCDataChannel): FileRouteName {
    return channel === this.file ? 'session' : 'file';
  }

  /** The newest open route: the file connection once it is up, else this connection's file channel. */
  private preferredRoute(): FileRoute {
    for (let i = this.routes.length - 1; i > 0; i--) if (this.routes[i].channel.readyState === 'open') return this.routes[i];
    return this.routes[0];
  }

  private onControlMessage(data: unknown): void {
    if (typeof data !== 'string' || data.length > 16 * 1024) return void (this.rejected += 1);
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return void (this.rejected += 1);
    }
    // The other browser is not trusted: anything off-schema, or not allowed from its role, is dropped.
    if (!Value.Check(PeerMessage, message) || !PEER_ROLES[message.type].includes(this.remoteRole)) {
      return void (this.rejected += 1);
    }
    this.events.emit('control', message);
  }

  private onFileMessage(route: FileRoute, data: unknown): void {
    if (data instanceof ArrayBuffer) {
      // Bytes before any `begin` belong to nothing: dropped unread.
      if (route.incomingHandle === 0) return void (this.rejected += 1);
      const via = this.routeName(route.channel);
      this.events.emit('chunk', route.incomingHandle, data, via);
      return;
    }
    const handle = parseBeginFrame(data);
    // After a malformed announcement, bytes are attributed to nothing until the next valid one.
    route.incomingHandle = handle ?? 0;
    if (handle === null) this.rejected += 1;
  }

  private onFastMessage(data: unknown): void {
    const copy = parseFastCopy(data);
    if (!copy) return void (this.rejected += 1);
    this.lanes[copy.lane].onFast(copy.seq, copy.data);
  }

  private onInputMessage(data: unknown): void {
    // Only an analyst sends input; a customer's page that receives input on this side drops it.
    if (this.remoteRole !== 'analyst' || typeof data !== 'string' || data.length > 512) return void (this.rejected += 1);
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      return void (this.rejected += 1);
    }
    if (!Value.Check(InputEvent, event)) return void (this.rejected += 1);
    this.lastInputAt = performance.now();
    this.events.emit('input', event);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.lanes.c.close();
    this.lanes.i.close();
    this.events.emit('close');
    this.events.clear('close');
  }
}
