
// Small fakes of the browser's WebRTC objects, for unit tests of the browser classes in Node. They
// model only what those classes use: channel state, messages, buffered amounts and their events.

export class FakeDataChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'blob';
  onmessage: ((event: { data: unknown }) => void) | null = null;
  readonly sent: unknown[] = [];

  constructor(readonly label: string, readonly id: number) {
    super();
  }

  send(data: unknown): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError');
    this.sent.push(data);
  }

  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }

  /** A message from the other side. */
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The send queue drains to `amount`; crossing the threshold fires 'bufferedamountlow'. */
  drainTo(amount: number): void {
    const crossed = this.bufferedAmount > this.bufferedAmountLowThreshold && amount <= this.bufferedAmountLowThreshold;
    this.bufferedAmount = amount;
    if (crossed) this.dispatchEvent(new Event('bufferedamountlow'));
  }
}

export class FakePeerConnection extends EventTarget {
  iceConnectionState: RTCIceConnectionState = 'new';
  readonly channels = new Map<string, FakeDataChannel>();

  createDataChannel(label: string, init: { id?: number } = {}): FakeDataChannel {
    const channel = new FakeDataChannel(label, init.id ?? this.channels.size);
    this.channels.set(label, channel);
    return channel;
  }

  setIceState(state: RTCIceConnectionState): void {
    this.iceConnectionState = state;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
  }

  channel(label: string): FakeDataChannel {
    const channel = this.channels.get(label);
    if (!channel) throw new Error(`no channel ${label}`);
    return channel;
  }
}

type ControlListener = (message: import('../../protocol/index.js').PeerMessage) => void;
type ChunkListener = (handle: number, chunk: ArrayBuffer, route: 'session' | 'file') => void;

/**
 * Two ends of a session connection's channels, as the file transfer classes see PeerChannels:
 * control messages and file bytes go to the other end in order, a message at a time. `tamper`
 * may change bytes in transit; `close()` closes both ends.
 */
export class FakeChannelsEnd {
  peer!: FakeChannelsEnd;
  interrupted = false;
  private sendingHandle = 0;
  private closed = false;
  private readonly control = new Set<ControlListener>();
  private readonly chunk = new Set<ChunkListener>();
  private readonly close = new Set<() => void>();
  readonly sentControl: string[] = [];
  tamper: (bytes: Uint8Array) => void = () => undefined;

  static pair(): [FakeChannelsEnd, FakeChannelsEnd] {
    const a = new FakeChannelsEnd();
    const b = new FakeChannelsEnd();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  onControl(listener: ControlListener): () => void {
    this.control.add(listener);
    return () => this.control.delete(listener);
  }
  onChunk(listener: ChunkListener): () => void {
    this.chunk.add(listener);
    return () => this.chunk.delete(listener);
  }
  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    this.close.add(listener);
    return () => this.close.delete(listener);
  }
  onFileRouteLost(): () => void {
    return () => undefined;
  }
  onConnectivity(): () => void {
    return () => undefined;
  }
  routeInterrupted(): boolean {
    return this.interrupted;
  }
  sendControl(message: import('../../protocol/index.js').PeerMessage): boolean {
    if (this.closed) return false;
    this.sentControl.push(message.type);
    const copy = JSON.parse(JSON.stringify(message));
    queueMicrotask(() => this.peer.control.forEach((listener) => listener(copy)));
    return true;
  }
  beginFile(handle: number): { route: 'session'; chunkBytes: number } {
    this.sendingHandle = handle;
    return { route: 'session', chunkBytes: 16 * 1024 };
  }
  sendChunk(bytes: Uint8Array): void {
    const copy = bytes.slice();
    this.tamper(copy);
    const handle = this.sendingHandle;
    queueMicrotask(() => this.peer.chunk.forEach((listener) => listener(handle, copy.buffer, 'session')));
  }
  async fileDrained(): Promise<void> {
    if (this.closed) throw new Error('closed');
  }
  /** Both ends close (the connection went). */
  closeBoth(): void {
    for (const end of [this, this.peer]) {
      if (end.closed) continue;
      end.closed = true;
      end.close.forEach((listener) => listener());
    }
  }
}

/** A media track: stop() stops it; end() is the browser ending it (its own "Stop sharing" bar). */
export class FakeTrack extends EventTarget {
  readyState: MediaStreamTrackState = 'live';
  contentHint = '';
  constructor(readonly label = 'screen', private readonly settings: Record<string, unknown> = { displaySurface: 'monitor' }) {
    super();
  }
  getSettings(): Record<string, unknown> {
    return this.settings;
  }
  stop(): void {
    this.readyState = 'ended';
  }
  end(): void {
    this.stop();
    this.dispatchEvent(new Event('ended'));
  }
}

/** A stream of one video track, as getDisplayMedia returns it. */
export class FakeStream {
  readonly tracks: FakeTrack[];
  constructor(...tracks: FakeTrack[]) {
    this.tracks = tracks.length ? tracks : [new FakeTrack()];
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks;
  }
  getTracks(): FakeTrack[] {
    return this.tracks;
  }
}

/** A data-only SDP, as the file connection's offers and answers are. */
export const DATA_ONLY_SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n';

/**
 * A peer connection that negotiates: offers and answers (data-only SDP), a host candidate after
 * each local description, the candidates it was given, and a connection state the test sets.
 * `rejectRemote` makes the next remote description fail (a bad answer).
 */
export class FakeNegotiatingConnection extends FakePeerConnection {
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  readonly sctp = { maxMessageSize: 262_144 };
  readonly candidates: RTCIceCandidateInit[] = [];
  onicecandidate: ((event: { candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } | null }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  rejectRemote = false;
  closed = false;

  constructor(readonly config: RTCConfiguration) {
    super();
  }

  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: DATA_ONLY_SDP };
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    if (this.signalingState !== 'have-remote-offer') throw new Error('InvalidStateError: no remote offer');
    return { type: 'answer', sdp: DATA_ONLY_SDP };
  }

  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
    queueMicrotask(() => this.onicecandidate?.({ candidate: { candidate: 'candidate:1 1 udp 2122260223 198.18.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } }));
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (this.rejectRemote) throw new Error('InvalidAccessError: bad description');
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    this.candidates.push(candidate);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connectionState = 'closed';
    this.signalingState = 'closed';
    for (const channel of this.channels.values()) channel.close();
  }

  setConnectionState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}

/** Joins two fake connections' negotiated channels of the same label: what one end sends, the other receives. */
export function joinChannels(a: FakePeerConnection, b: FakePeerConnection, labels: string[]): void {
  for (const label of labels) {
    const [left, right] = [a.channel(label), b.channel(label)];
    for (const [from, to] of [[left, right], [right, left]] as const) {
      const send = from.send.bind(from);
      from.send = (data: unknown) => {
        send(data);
        queueMicrotask(() => to.readyState === 'open' && to.receive(data));
      };
    }
  }
}
