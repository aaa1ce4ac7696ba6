import Peer, { type SignalData } from '@thaunknown/simple-peer';
import type { IceConfig, Role } from '../../protocol/index.js';
import { FileConnection } from '../files/file-connection.js';
import { isConnected, selectedPairRelayed, type StatsReport } from './connectivity.js';
import { PeerChannels } from './peer-channels.js';
import { pageCertificate } from './peer-certificate.js';
import { readNegotiatedKeys, type KeysCheck } from './negotiated-keys.js';
import { Emitter } from '../emitter.js';
import type { VerifiedConnection } from './verification.js';
import { SCREEN_MAX_BITRATE, SCREEN_MAX_FRAMERATE, screenContentHint, screenFrameRate } from './screen-settings.js';


/**
 * How long the customer's page waits, after fresh TURN credentials, before it restarts ICE on a
 * relayed path: the analyst's page gets its own new credentials within this time (the server
 * sends both in the same second), so both sides allocate with the new ones.
 */
export const ICE_REFRESH_RESTART_DELAY_MS = 5000;

/** Until the server sends session.ice: host candidates only. */
export const NO_ICE: IceConfig = { iceServers: [], iceTransportPolicy: 'all' };

export interface SessionConnectionEvents {
  onSignal(data: SignalData): void;
  onConnect(): void;
  onRemoteStream(stream: MediaStream): void;
  onClose(): void;
  onError(message: string): void;
}

/**
 * The WebRTC link between customer and analyst. The customer is the initiator (it owns the
 * screen); the analyst answers. The screen's video section is in the first offer, sending nothing
 * until a share puts its track on it (replaceTrack): sharing, switching and stopping never
 * renegotiate, and the first picture does not wait for a second offer/answer after the
 * connection is up (docs/benchmarks.md, first-frame). The link (and its data channels) outlives
 * any one share. A path that drops is restored in place (ICE
 * restart, below); a link that fails for good, or whose other end reloads, is replaced by a new
 * one with the next number (connection-replacement.ts).
 */
export class SessionConnection implements VerifiedConnection {
  private readonly peer: Peer;
  /** Kept here: simple-peer forgets it when the link fails. */
  private readonly pc: RTCPeerConnection;
  /** Chat, links and files: our own data channels beside simple-peer's default one. */
  readonly channels: PeerChannels;
  /** A second connection for file bytes alone, set up over the channels (file-connection.ts). */
  readonly fileConnection: FileConnection;
  /** Resolves when the first negotiation is complete (simple-peer's "connect"). */
  readonly connected: Promise<void>;
  private closed = false;
  private abandoned = false;
  private up = false;
  private iceRefreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly negotiation = new Emitter<{ negotiated: []; refused: [] }>();
  /** The customer's screen sender, negotiated with the first offer (null on the analyst's side). */
  private readonly screen: RTCRtpTransceiver | null = null;
  /** The trade-off the analyst asked for (quality.mode), applied to every source shared. */
  private quality: 'sharper' | 'smoother' = 'sharper';

  /**
   * `number`: which connection of the session this is (0 the first; see connection-replacement.ts), carried by
   * every signal it sends so the other side can tell a new connection from the last one's leftovers.
   */
  constructor(readonly role: Role, ice: IceConfig, private readonly events: SessionConnectionEvents, readonly number = 0) {
    // The customer initiates: it owns the screen, and its offer carries the data channels' m-line.
    const initiator = role === 'customer';
    // Every link of the page has the page's certificate, so the verification code stays the same
    // on a link that replaces a lost one (peer-certificate.ts).
    const certificate = pageCertificate();
    // One transport for everything (max-bundle, RTCP muxed): the verification code covers the one
    // DTLS transport there is, and a section outside the bundle is an alarm (verification.ts).
    this.peer = new Peer({
      initiator,
      trickle: true,
      config: {
        iceServers: ice.iceServers,
        iceTransportPolicy: ice.iceTransportPolicy,
        bundlePolicy: 'max-bundle',
        rtcpMuxPolicy: 'require',
        ...(certificate ? { certificates: [certificate] } : {}),
      },
    });
    this.pc = this.peer._pc;
    // Before simple-peer's first offer (a task away): the offer carries the screen's section, with
    // a stream of its own, so the analyst's page has the stream (simple-peer's "stream") from the
    // first answer and the picture from the first frame sent.
    if (initiator) {
      this.screen = this.pc.addTransceiver('video', { direction: 'sendonly', streams: [new MediaStream()] });
      this.preferScreenCodecs(this.screen);
      // The encoder's limits now, before any track: a share then starts the encoder once, as set.
      void this.tuneForScreen();
    }
    this.pc.addEventListener('signalingstatechange', () => {
      if (this.pc.signalingState === 'stable' && this.pc.currentRemoteDescription) this.negotiation.emit('negotiated');
    });
    this.channels = new PeerChannels(this.pc, role === 'customer' ? 'analyst' : 'customer');
    this.fileConnection = new FileConnection(this.channels, role, ice);
    this.peer.on('signal', (data) => events.onSignal(data));
    this.connected = new Promise((resolve) => this.peer.on('connect', () => resolve()));
    this.peer.on('connect', () => (this.up = true));
    this.peer.on('connect', () => events.onConnect());
    this.peer.on('stream', (stream) => events.onRemoteStream(stream));
    // simple-peer reports a failed connection (ICE failure, say) by 'error' alone, never 'close',
    // and drops its reference to the RTCPeerConnection: both count as the link closing.
    this.peer.on('error', (err) => {
      // A description the browser refused after the connection was up: the other side (or someone
      // posing as it) asked for something this browser would not do. Never silent.
      if (this.up && /^ERR_(SET_REMOTE_DESCRIPTION|CREATE_ANSWER|SET_LOCAL_DESCRIPTION)$/.test(err.code ?? '')) this.negotiation.emit('refused');
      events.onError(err.code ?? err.message);
      this.handleClose();
    });
    this.peer.on('close', () => this.handleClose());
    this.watchConnectivity();
  }

  /**
   * ICE restart instead of a dead session: when the path drops (Wi-Fi to 4G, a VPN going up) the
   * connection turns "disconnected"; if it stays so for 2 s, or the browser says it is back online,
   * both sides gather new candidates (the customer, who initiates, makes the new offer; simple-peer
   * asks it to on the analyst's side). simple-peer gives up for good at "failed", so act before.
   */
  private watchConnectivity(): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const restart = () => this.restartIce();
    this.connection.addEventListener('iceconnectionstatechange', () => {
      clearTimeout(timer);
      if (this.connection.iceConnectionState === 'disconnected') timer = setTimeout(restart, 2000);
    });
    const online = () => !isConnected(this.connection) && restart();
    window.addEventListener('online', online);
    this.stopWatching = () => {
      clearTimeout(timer);
      window.removeEventListener('online', online);
    };
  }

  private stopWatching = () => undefined as void;

  private restartIce(): void {
    if (this.closed) return;
    try {
      this.connection.restartIce();
      this.peer.negotiate();
    } catch {
      // the peer closed meanwhile
    }
  }

  /**
   * Fresh TURN credentials (the server sends them well before the last ones expire). New
   * allocations use them at once; but coturn refuses to refresh an allocation, permission or
   * channel whose credentials expired, so on a relayed path the customer's page (the initiator)
   * restarts ICE, and both sides allocate anew with their new credentials.
   */
  updateIce(ice: IceConfig): void {
    if (this.closed) return;
    this.fileConnection.updateIce(ice);
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy });
    } catch {
      return; // closed meanwhile
    }
    if (this.role !== 'customer') return;
    clearTimeout(this.iceRefreshTimer);
    this.iceRefreshTimer = setTimeout(() => {
      if (this.closed || !isConnected(this.connection)) return; // a path being restored gathers with the new ones anyway
      void this.pc.getStats().then((report) => selectedPairRelayed(report as unknown as StatsReport) && this.restartIce(), () => undefined);
    }, ICE_REFRESH_RESTART_DELAY_MS);
  }

  /** The DTLS keys this connection negotiated (negotiated-keys.ts); null before both descriptions. */
  readKeys(): Promise<KeysCheck | null> {
    return this.closed ? Promise.resolve(null) : readNegotiatedKeys(this.pc);
  }

  onNegotiated(listener: () => void): () => void {
    return this.negotiation.on('negotiated', listener);
  }

  onNegotiationRefused(listener: () => void): () => void {
    return this.negotiation.on('refused', listener);
  }

  /** Connected (the first negotiation done) and not closed since. */
  get isConnected(): boolean {
    return this.up && !this.closed;
  }

  /** Closed by either side, or failed: a closed link never comes back (connection-replacement.ts makes the next one). */
  get isClosed(): boolean {
    return this.closed;
  }

  get connection(): RTCPeerConnection {
    return this.pc;
  }

  signal(data: SignalData): void {
    if (!this.closed) this.peer.signal(data);
  }

  /**
   * Puts the screen on the sender negotiated with the first offer, in place of what it sent: at
   * once, even while the first negotiation runs (frames flow as soon as the connection is up). A
   * switch to another screen, window or tab is the same call: the analyst sees no gap. Only the
   * customer shares.
   */
  shareScreen(stream: MediaStream): void {
    this.putScreen(stream.getVideoTracks()[0] ?? null);
  }

  /**
   * AV1, then VP9, first where the browser has them: both code screen content (text, flat areas)
   * far better than VP8 at the same bitrate. Set before simple-peer makes its offer (next tick).
   */
  private preferScreenCodecs(transceiver: RTCRtpTransceiver): void {
    const capabilities = typeof RTCRtpReceiver.getCapabilities === 'function' ? RTCRtpReceiver.getCapabilities('video') : null;
    if (!capabilities) return;
    const rank = (mime: string) => (/av1/i.test(mime) ? 0 : /vp9/i.test(mime) ? 1 : 2);
    const codecs = [...capabilities.codecs].sort((a, b) => rank(a.mimeType) - rank(b.mimeType));
    try {
      transceiver.setCodecPreferences(codecs);
    } catch {
      // an older browser: its default order stays
    }
  }

  /** Sharper keeps resolution and drops frame rate under pressure (text); smoother does the opposite. Kept for the next source. */
  async setQualityMode(mode: 'sharper' | 'smoother'): Promise<void> {
    this.quality = mode;
    const track = this.screen?.sender.track;
    if (track) this.captureFor(track);
    await this.tuneForScreen();
  }

  /** The sender sends nothing again; the analyst's page hides the picture from the session's state. */
  stopScreen(_stream: MediaStream): void {
    this.putScreen(null);
  }

  /**
   * The capture follows the mode: "sharper" captures 15 frames a second (screen-capture.ts asks
   * for that), "smoother" 30, or the encoder has no more frames to send than the capture gives
   * (measured: 15 fps while scrolling in either mode before; docs/benchmarks.md, text).
   */
  private captureFor(track: MediaStreamTrack): void {
    const hint = screenContentHint(this.quality);
    if (track.contentHint !== hint) track.contentHint = hint;
    // Only when the capture runs at another rate: new constraints restart the capture, and the
    // first frame of a share waits for that (~40 ms with tuneForScreen's reconfiguration; first-frame).
    const frameRate = screenFrameRate(this.quality);
    const asked = track.getConstraints?.().frameRate;
    if (typeof asked === 'object' && asked.ideal === frameRate.ideal && asked.max === frameRate.max) return;
    track.applyConstraints({ frameRate }).catch(() => undefined);
  }

  private putScreen(track: MediaStreamTrack | null): void {
    if (this.closed || !this.screen) return;
    if (track) this.captureFor(track);
    // Rejects only on a closed connection, or a sender stopped meanwhile: nothing to share on then.
    this.screen.sender.replaceTrack(track).then(() => track && this.tuneForScreen(), () => undefined);
  }

  /**
   * Closes the link as a failed one (verification.ts, after an alarm about what it negotiated):
   * the customer's page makes the next link, the analyst's page tells it to (session-connections.ts).
   */
  abandon(): void {
    if (this.closed) return;
    this.abandoned = true;
    // Ends in simple-peer's "close": handleClose(), and the page's onClose.
    this.peer.destroy();
  }

  /** Given up by abandon(): the analyst's page asks the customer's for the next link. */
  get isAbandoned(): boolean {
    return this.abandoned;
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching();
    clearTimeout(this.iceRefreshTimer);
    this.fileConnection.close();
    this.peer.destroy();
  }

  /**
   * Screen content: when bandwidth is short, drop frame rate, never resolution (text stays
   * readable), and cap the bitrate so a support session never floods the customer's uplink.
   */
  private async tuneForScreen(): Promise<void> {
    const mode = this.quality;
    const sender = this.screen?.sender;
    if (!sender) return;
    try {
      const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
      const degradation = mode === 'sharper' ? 'maintain-resolution' : 'maintain-framerate';
      const encodings = params.encodings ?? [];
      // Already so (set when the connection was made, before any track): no call, since
      // setParameters reconfigures a running encoder and the share's first frame would wait.
      if (params.degradationPreference === degradation && encodings.every((e) => e.maxBitrate === SCREEN_MAX_BITRATE[mode] && e.maxFramerate === SCREEN_MAX_FRAMERATE[mode])) return;
      params.degradationPreference = degradation;
      for (const encoding of encodings) {
        encoding.maxBitrate = SCREEN_MAX_BITRATE[mode];
        encoding.maxFramerate = SCREEN_MAX_FRAMERATE[mode];
      }
      await sender.setParameters(params);
    } catch {
      // Older browsers refuse the field; the contentHint on the track still steers the encoder.
    }
  }

  private handleClose(): void {
    const wasClosed = this.closed;
    this.closed = true;
    clearTimeout(this.iceRefreshTimer);
    this.fileConnection.close();
    if (!wasClosed) this.events.onClose();
  }
}
