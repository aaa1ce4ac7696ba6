import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { EndReason, ErrorCode, TicketCurrent, TicketStatus } from '../../protocol/index.js';
import { api } from '../api.js';
import type { SessionConnection } from '../session/session-connection.js';
import { CustomerConnections } from '../session/session-connections.js';
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
  /** The session's connections (numbering, replacement after a loss): session-connections.ts. */
  const connections = useRef<CustomerConnections | null>(null);

  /** Adds the shared screen to `link`, and remembers which stream went on which link. */
  const shareOn = (link: SessionConnection, stream: MediaStream) => {
    addedStream.current = stream;
    sharedOn.current = link;
    link.shareScreen(stream);
  };

  const teardownMedia = useCallback(() => {
    connections.current?.stop();
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

    const sessionConnections = new CustomerConnections({ send: (frame) => signaling.send(frame), isSignalingOpen: () => signaling.isOpen });
    connections.current = sessionConnections;
    sessionConnections.on('connection', (connection) => {
      peer.current = connection;
      setPeerState(connection);
      // The analyst may ask for a sharper or a smoother picture; only the encoder's trade-off changes.
      connection?.channels.onControl((message) => message.type === 'quality.mode' && void connection.setQualityMode(message.mode));
    });
    sessionConnections.on('connected', (connection) => {
      setPeerError(null);
      setPeerConnected(true);
      // A new connection after a lost one: the screen the customer still shares goes on it.
      const stream = screenRef.current;
      if (stream && sharedOn.current !== connection) shareOn(connection, stream);
    });
    sessionConnections.on('closed', () => setPeerConnected(false));
    sessionConnections.on('error', (detail) => setPeerError(detail));
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
      if (frame.state === 'consented' || frame.state === 'live') sessionConnections.ensure();
    });
    signaling.on('session.ice', ({ iceServers, iceTransportPolicy }) => sessionConnections.setIce({ iceServers, iceTransportPolicy }));
    signaling.on('signal', (frame) => sessionConnections.onSignal(frame));
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
