import { isDataOnlySdp, type IceConfig, type PeerMessage, type Role } from '../../protocol/index.js';
import { fileConnectionChunkBytes } from './file-framing.js';
import { CHANNEL_IDS, type PeerChannels } from '../session/peer-channels.js';

// The file connection: a second peer connection between the same two browsers that carries nothing but
// file bytes. Why a connection of its own and not only a channel of its own: all data channels of
// one connection share one SCTP association, so while a file flows, a chat message, a pushed link
// or a remote-control event waits behind the file data already in flight; with the file on its own
// connection, control round trips during a transfer are several times shorter (docs/benchmarks.md).
// It also lets the file sender keep more data in flight, which is what fills the pipe.
//
// It is negotiated peer to peer over the control channel (never through the server), with the same
// ICE servers and policy as the session, the customer offering. Until it is open, and if it never
// opens or fails, files take the session connection's own file channel: slower to share, never
// blocked. A lost connection (a network change, say) is set up anew by the customer once the
// session connection works, FILE_CONNECTION_RETRY_MS later, at most FILE_CONNECTION_RETRIES times a
// session.

export type FileConnectionState = 'idle' | 'negotiating' | 'open' | 'lost' | 'closed';
type FileConnectionMove = 'negotiate' | 'opened' | 'lose' | 'close';

/**
 * The file connection's life, as a table. `negotiate` from open or negotiating: the customer's
 * new offer replaces the connection the analyst still has (its end may not have seen the loss).
 */
const MOVES: Record<FileConnectionState, Partial<Record<FileConnectionMove, FileConnectionState>>> = {
  idle: { negotiate: 'negotiating', close: 'closed' },
  negotiating: { negotiate: 'negotiating', opened: 'open', lose: 'lost', close: 'closed' },
  open: { negotiate: 'negotiating', lose: 'lost', close: 'closed' },
  lost: { negotiate: 'negotiating', close: 'closed' },
  closed: {},
};

/** The state after `move`, or null when `move` is not allowed in `state`. */
export function fileConnectionTransition(state: FileConnectionState, move: FileConnectionMove): FileConnectionState | null {
  return MOVES[state][move] ?? null;
}

/** Makes the RTCPeerConnection (a fake in unit tests). */
export type MakePeerConnection = (config: RTCConfiguration) => RTCPeerConnection;
const realPeerConnection: MakePeerConnection = (config) => new RTCPeerConnection(config);

/** How long after losing the link the customer sets up a new one (a flapping path settles first). */
export const FILE_CONNECTION_RETRY_MS = 3000;
/** How many new links a session tries; after that, files stay on the session connection. */
export const FILE_CONNECTION_RETRIES = 3;

export class FileConnection {
  private current: FileConnectionState = 'idle';
  private pc: RTCPeerConnection | null = null;
  private detach: (lost: boolean) => void = () => undefined;
  /** Candidates that arrived before the remote description. */
  private early: RTCIceCandidateInit[] = [];
  private readonly offs: Array<() => void>;
  private retries = 0;
  /** Links made so far (one per offer, on both sides alike): names a link in file.link.lost. */
  private links = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly channels: PeerChannels,
    private readonly role: Role,
    private ice: IceConfig,
    private readonly options: { makePeerConnection?: MakePeerConnection; retryMs?: number } = {},
  ) {
    this.offs = [
      channels.onControl((message) => void this.onControl(message)),
      channels.onClose(() => this.close()),
      // A link lost with the whole path is set up again once the session connection is back.
      channels.onConnectivity(() => this.retryLater()),
    ];
    channels.whenOpen().then(
      () => void this.start(),
      () => undefined,
    );
  }

  get state(): FileConnectionState {
    return this.current;
  }

  /** Fresh TURN credentials: the next file connection uses them (one in use keeps its allocation). */
  updateIce(ice: IceConfig): void {
    this.ice = ice;
  }

  /** Ends the connection (session over); files use it no more after this. Idempotent. */
  close(): void {
    if (!this.move('close')) return;
    clearTimeout(this.retryTimer);
    this.offs.forEach((off) => off());
    this.detach(false);
    this.pc?.close();
    this.pc = null;
  }

  /** The customer makes the offer as soon as the session's channels are open. */
  private async start(): Promise<void> {
    if (this.role !== 'customer' || (this.current !== 'idle' && this.current !== 'lost')) return;
    const pc = this.create();
    try {
      await pc.setLocalDescription(await pc.createOffer());
      if (this.pc !== pc) return;
      this.channels.sendControl({ type: 'file.link.offer', sdp: pc.localDescription!.sdp });
    } catch {
      this.lose(pc);
    }
  }

  /** One move of the table; false (and nothing changes) when the table refuses it. */
  private move(move: FileConnectionMove): boolean {
    const next = fileConnectionTransition(this.current, move);
    if (!next) return false;
    this.current = next;
    return true;
  }

  private create(): RTCPeerConnection {
    this.pc?.close();
    this.detach(true);
    const pc = (this.options.makePeerConnection ?? realPeerConnection)({ iceServers: this.ice.iceServers, iceTransportPolicy: this.ice.iceTransportPolicy, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.pc = pc;
    this.links += 1;
    this.move('negotiate');
    // Pre-negotiated like the session's channels: the same id on both sides, open with the connection.
    const channel = pc.createDataChannel('file', { negotiated: true, id: CHANNEL_IDS.file, ordered: true });
    channel.addEventListener('open', () => {
      if (this.pc !== pc || !this.move('opened')) return;
      // Messages as large as the other side accepts, up to FILE_CONNECTION_CHUNK_BYTES (file-framing.ts).
      this.detach = this.channels.attachFileConnection(channel, fileConnectionChunkBytes(pc.sctp?.maxMessageSize), pc);
    });
    // Closed by either side (the connection's state may say nothing when it is closed locally).
    channel.addEventListener('close', () => this.lose(pc));
    pc.onicecandidate = ({ candidate }) => {
      if (this.pc !== pc || !candidate?.candidate) return;
      this.channels.sendControl({
        type: 'file.link.candidate',
        candidate: candidate.candidate,
        ...(candidate.sdpMid != null ? { sdpMid: candidate.sdpMid } : {}),
        ...(candidate.sdpMLineIndex != null ? { sdpMLineIndex: candidate.sdpMLineIndex } : {}),
      });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') this.lose(pc);
    };
    return pc;
  }

  private async onControl(message: PeerMessage): Promise<void> {
    if (this.current === 'closed') return;
    switch (message.type) {
      case 'file.link.offer': {
        // Only the analyst answers (the channels already drop offers from an analyst).
        if (this.role !== 'analyst' || !isDataOnlySdp(message.sdp)) return;
        const pc = this.create();
        try {
          await pc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
          await this.addEarlyCandidates(pc);
          await pc.setLocalDescription(await pc.createAnswer());
          if (this.pc === pc) this.channels.sendControl({ type: 'file.link.answer', sdp: pc.localDescription!.sdp });
        } catch {
          this.lose(pc);
        }
        return;
      }
      case 'file.link.answer': {
        const pc = this.pc;
        if (this.role !== 'customer' || !pc || pc.signalingState !== 'have-local-offer' || !isDataOnlySdp(message.sdp)) return;
        try {
          await pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
          await this.addEarlyCandidates(pc);
        } catch {
          this.lose(pc);
        }
        return;
      }
      case 'file.link.lost': {
        // The other side's end of this link is gone: so is this one, now.
        if (this.pc && message.link === this.links) this.lose(this.pc, false);
        return;
      }
      case 'file.link.candidate': {
        const candidate: RTCIceCandidateInit = { candidate: message.candidate, sdpMid: message.sdpMid, sdpMLineIndex: message.sdpMLineIndex };
        const pc = this.pc;
        if (!pc || !pc.remoteDescription) {
          if (this.early.length < 50) this.early.push(candidate);
          return;
        }
        // A candidate the browser cannot parse is the other side's problem; the link may still work.
        await pc.addIceCandidate(candidate).catch(() => undefined);
        return;
      }
    }
  }

  private async addEarlyCandidates(pc: RTCPeerConnection): Promise<void> {
    const early = this.early;
    this.early = [];
    for (const candidate of early) await pc.addIceCandidate(candidate).catch(() => undefined);
  }

  /** The link failed: files go back to the session connection's own channel. */
  private lose(pc: RTCPeerConnection, tell = true): void {
    if (this.pc !== pc || !this.move('lose')) return;
    this.pc = null;
    if (tell && this.channels.isOpen) this.channels.sendControl({ type: 'file.link.lost', link: this.links });
    this.detach(true); // the files on it are lost; later ones take the session connection
    pc.close();
    this.retryLater();
  }

  /**
   * Customer side: a new link, FILE_CONNECTION_RETRY_MS after a loss, once the session connection works
   * (after a network change it first has to restart its own ICE), while tries are left.
   */
  private retryLater(): void {
    if (this.role !== 'customer' || this.current !== 'lost' || this.retryTimer || this.retries >= FILE_CONNECTION_RETRIES || this.channels.interrupted) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.current !== 'lost' || this.channels.interrupted || !this.channels.isOpen) return;
      this.retries += 1;
      void this.start();
    }, this.options.retryMs ?? FILE_CONNECTION_RETRY_MS);
  }
}
