import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isLinkClosed, type EndReason, type ErrorCode, type IceConfig, type TicketCurrent, type TicketStatus } from '../../protocol/index.js';
import { api } from '../api.js';
import { NO_ICE, SessionConnection } from '../session/session-connection.js';
import { CONNECTION_TIMEOUT_MS, replacementDelay } from '../session/connection-replacement.js';
import { captureScreen, stopStream } from './screen-capture.js';
import { SignalingClient, type SocketState } from '../session/signaling-client.js';

export type CustomerPhase = 'checking' | 'invalid' | 'waiting' | 'offered' | 'session' | 'ended';
export type ShareProblem = 'denied' | 'unsupported' | 'failed' | null;

export interface CustomerTicket {
  phase: CustomerPhase;
  status: TicketStatus | null;
  socket: SocketState;
  endReason: EndReason | null;
  error: ErrorCode | 'network' | null;
  peerConnected: boolean;
  peerError: string | null;
  screen: MediaStream | null;
  shareProblem: ShareProblem;
  /** The WebRTC link once the customer allowed the session (chat, files and links ride on it); replaced by a new one if it fails for good (connection-replacement.ts). */
  peer: SessionConnection | null;
  /** The signaling connection (remote control pairs its helper through it). */
  signaling: SignalingClient | null;
  cancel(): void;
  answerConsent(allow: boolean): void;
  startSharing(): Promise<void>;
  /** Shares another screen, window or tab in place of the current one, without a break. */
  switchSharing(): Promise<void>;
  stopSharing(): void;
  endSession(): void;
}

function phaseOf(status: TicketStatus): CustomerPhase {
  switch (status.state) {
    case 'waiting':
      return 'waiting';
    case 'offered':
      return 'offered';
    case 'ended':
      return 'ended';
    default:
      return 'session';
  }
}

/** Everything the customer's page knows about its ticket and session, and the actions it can take. */
export function useCustomerTicket(token: string): CustomerTicket {
  const [phase, setPhase] = useState<CustomerPhase>('checking');
  const [status, setStatus] = useState<TicketStatus | null>(null);
  const [socket, setSocket] = useState<SocketState>('connecting');
  const [endReason, setEndReason] = useState<EndReason | null>(null);
  const [error, setError] = useState<ErrorCode | 'network' | null>(null);
  const [peerConnected, setPeerConnected] = useState(false);
  const [peerError, setPeerError] = useState<string | null>(null);
  const [screen, setScreen] = useState<MediaStream | null>(null);
  const [shareProblem, setShareProblem] = useState<ShareProblem>(null);
  const [peerState, setPeerState] = useState<SessionConnection | null>(null);
  const [signalingState, setSignalingState] = useState<SignalingClient | null>(null);

  const client = useRef<SignalingClient | null>(null);
  const peer = useRef<SessionConnection | null>(null);
  const screenRef = useRef<MediaStream | null>(null);
  /** The stream first given to the peer: its sender is reused when the source changes. */
  const addedStream = useRef<MediaStream | null>(null);
  /** The link the screen was added to (a new link gets it once connected). */
  const sharedOn = useRef<SessionConnection | null>(null);
  const ice = useRef<IceConfig>(NO_ICE);
  /** The next link's attempt, its timer (connection-replacement.ts), and the number of the next link. */
  const relink = useRef<{ attempt: number; timer: ReturnType<typeof setTimeout> | undefined; next: number }>({ attempt: 0, timer: undefined, next: 0 });

  /** Adds the shared screen to `link`, and remembers which stream went on which link. */
  const shareOn = (link: SessionConnection, stream: MediaStream) => {
    addedStream.current = stream;
    sharedOn.current = link;
    link.shareScreen(stream);
  };

  const teardownMedia = useCallback(() => {
    clearTimeout(relink.current.timer);
    stopStream(screenRef.current);
    screenRef.current = null;
    addedStream.current = null;
    sharedOn.current = null;
    setScreen(null);
    peer.current?.destroy();
    peer.current = null;
    setPeerState(null);
    setPeerConnected(false);
  }, []);

  useEffect(() => {
    let disposed = false;

    const finish = (reason: EndReason | null) => {
      setEndReason(reason);
      setPhase('ended');
      teardownMedia();
    };

    /** A new session connection, numbered one higher than the last (the first is 0). */
    const startConnection = () => {
      const number = relink.current.next++;
      const link = new SessionConnection('customer', ice.current, {
        onSignal: (data) => client.current?.send({ type: 'signal', link: number, data }),
        onConnect: () => {
          if (peer.current !== link) return;
          relink.current.attempt = 0;
          setPeerError(null);
          setPeerConnected(true);
          // A new link after a lost one: the screen the customer still shares goes on it.
          const stream = screenRef.current;
          if (stream && sharedOn.current !== link) shareOn(link, stream);
        },
        onRemoteStream: () => undefined,
        // Closed without this page asking: the path failed for good, or the analyst's page went.
        // If the session goes on, the next link replaces it; if it ended, its end arrives first.
        onClose: () => {
          if (peer.current !== link) return;
          setPeerConnected(false);
          replaceConnection(link, replacementDelay(relink.current.attempt));
        },
        onError: (detail) => setPeerError(detail),
      }, number);
      peer.current = link;
      setPeerState(link);
      // The analyst may ask for a sharper or a smoother picture; only the encoder's trade-off changes.
      link.channels.onControl((message) => message.type === 'quality.mode' && void link.setQualityMode(message.mode));
      // An offer lost on the way (signaling was down, say): the link never connects; try the next.
      if (number > 0) {
        setTimeout(() => {
          if (peer.current === link && !link.isConnected && !link.isClosed) replaceConnection(link, replacementDelay(relink.current.attempt));
        }, CONNECTION_TIMEOUT_MS);
      }
    };

    /** Replaces `dead` with the next link after `delayMs`, once signaling is up to carry its offer. */
    const replaceConnection = (dead: SessionConnection, delayMs: number) => {
      clearTimeout(relink.current.timer);
      relink.current.timer = setTimeout(() => {
        if (disposed || peer.current !== dead) return; // the session ended, or another attempt won
        if (!client.current?.isOpen) return replaceConnection(dead, 1000);
        relink.current.attempt += 1;
        dead.destroy();
        startConnection();
      }, delayMs);
    };

    // One client for the page's life: it reconnects by itself after a blip, once it has checked
    // that the customer link is still valid.
    const signaling = new SignalingClient(`?token=${encodeURIComponent(token)}`, {
      beforeReconnect: async () => {
        const check = await api<TicketCurrent>('/api/tickets/current', { token });
        if (disposed) return false;
        if (!check.ok && check.code === 'token.invalid') {
          finish(null);
          return false;
        }
        return true;
      },
    });
    client.current = signaling;
    setSignalingState(signaling);
    signaling.onState((state, close) => {
      if (disposed) return;
      setSocket(state);
      if (state === 'closed' && close?.final) {
        setPhase((current) => (current === 'ended' ? current : 'ended'));
        teardownMedia();
      }
    });
    signaling.on('ticket.status', (frame) => {
      setStatus(frame);
      if (frame.state === 'ended') return finish(frame.endReason ?? null);
      setPhase(phaseOf(frame));
      if ((frame.state === 'consented' || frame.state === 'live') && !peer.current) startConnection();
    });
    signaling.on('session.ice', ({ iceServers, iceTransportPolicy }) => {
      // The first credentials, or fresh ones before the last expire: a running link takes them too.
      ice.current = { iceServers, iceTransportPolicy };
      peer.current?.updateIce(ice.current);
    });
    signaling.on('signal', (frame) => {
      const link = peer.current;
      if (!link || (frame.link ?? 0) !== link.number) return; // a leftover of an earlier link
      if (isLinkClosed(frame.data)) return replaceConnection(link, 0); // the analyst's end failed: no need to wait for ours
      link.signal(frame.data);
    });
    signaling.on('error', (frame) => setError(frame.code));

    api<TicketCurrent>('/api/tickets/current', { token }).then((result) => {
      if (disposed) return;
      if (!result.ok) {
        setError(result.code);
        setPhase(result.code === 'token.invalid' ? 'invalid' : 'checking');
        return;
      }
      signaling.connect();
    });

    // Closing the tab ends the session for the analyst at once (the socket closes).
    return () => {
      disposed = true;
      signaling.close();
      teardownMedia();
    };
  }, [token, teardownMedia]);

  const stopSharing = useCallback(() => {
    const stream = screenRef.current;
    if (!stream) return;
    if (addedStream.current && sharedOn.current === peer.current) peer.current?.stopScreen(addedStream.current);
    addedStream.current = null;
    sharedOn.current = null;
    stopStream(stream);
    screenRef.current = null;
    setScreen(null);
    client.current?.send({ type: 'share.state', sharing: false });
  }, []);

  const startSharing = useCallback(async () => {
    if (screenRef.current || !peer.current) return;
    setShareProblem(null);
    const result = await captureScreen();
    if (!result.ok) return setShareProblem(result.reason);
    // The session ended while the picker was open, or a second click already shares.
    if (!peer.current || screenRef.current) return stopStream(result.stream);
    screenRef.current = result.stream;
    setScreen(result.stream);
    // The browser's own "Stop sharing" bar ends the track: treat it like our button.
    result.stream.getVideoTracks()[0]?.addEventListener('ended', () => stopSharing());
    client.current?.send({ type: 'share.state', sharing: true });
    // Adding the screen renegotiates; doing it while the first negotiation is still under way can
    // leave the stream un-negotiated (a simple-peer race): a link still connecting (the first, or
    // a new one after a loss) gets it from its onConnect above.
    const link = peer.current;
    if (link.isConnected) shareOn(link, result.stream);
  }, [stopSharing]);

  const switchSharing = useCallback(async () => {
    const current = screenRef.current;
    if (!current || !peer.current || !addedStream.current) return;
    setShareProblem(null);
    const result = await captureScreen();
    if (!result.ok) return setShareProblem(result.reason === 'denied' ? null : result.reason); // cancelled: keep sharing as before
    const [oldTrack] = current.getVideoTracks();
    const [newTrack] = result.stream.getVideoTracks();
    if (!peer.current || !oldTrack || !newTrack) return stopStream(result.stream);
    // While a new link connects, the screen is not on it yet: it gets the new source when it does.
    if (sharedOn.current === peer.current) peer.current.switchScreen(addedStream.current, oldTrack, newTrack);
    // The replaced track's "ended" must not stop the new share: swap before stopping it.
    screenRef.current = result.stream;
    setScreen(result.stream);
    newTrack.addEventListener('ended', () => stopSharing());
    stopStream(current);
  }, [stopSharing]);

  return {
    phase,
    status,
    socket,
    endReason,
    error,
    peerConnected,
    peerError,
    screen,
    shareProblem,
    peer: peerState,
    signaling: signalingState,
    cancel: () => client.current?.send({ type: 'ticket.cancel' }),
    answerConsent: (allow) => client.current?.send({ type: 'consent.reply', allow }),
    startSharing,
    switchSharing,
    stopSharing,
    endSession: () => client.current?.send({ type: 'session.end' }),
  };
}
