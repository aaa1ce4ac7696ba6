import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { CLOSE_CODES, type EndReason, type ErrorCode, type TicketCurrent, type TicketStatus } from '../../protocol/index.js';
import { api } from '../api.js';
import type { SessionConnection } from '../session/session-connection.js';
import { numberAboveClock } from '../session/connection-replacement.js';
import { CustomerConnections } from '../session/session-connections.js';
import { ScreenShare, type ShareProblem } from './screen-share.js';
import { SessionHistory } from '../activity/session-history.js';
import { removeScopeFiles } from '../files/session-files.js';
import { SignalingClient, type SocketState } from '../session/signaling-client.js';

/** `replaced`: the same link is open in a newer tab, which has the session now. */
export type CustomerPhase = 'checking' | 'invalid' | 'waiting' | 'offered' | 'session' | 'ended' | 'replaced';
export type { ShareProblem } from './screen-share.js';

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
  /** The share itself (the activity log listens to it); null until the page is set up. */
  share: ScreenShare<SessionConnection> | null;
  /** The WebRTC link once the customer allowed the session (chat, files and links ride on it); replaced by a new one if it fails for good (connection-replacement.ts). */
  peer: SessionConnection | null;
  /** The signaling connection (remote control pairs its helper through it). */
  signaling: SignalingClient | null;
  /** The analyst's page is connected (false: they are reconnecting, after a reload or a network change). */
  analystPresent: boolean;
  /** This page came back into a session whose screen was shared (a reload): sharing needs the customer's click again. */
  shareAgain: boolean;
  /** The session moved to a newer tab: this one takes it back. */
  takeOver(): void;
  cancel(): void;
  answerConsent(allow: boolean): void;
  startSharing(): Promise<void>;
  /** Shares another screen, window or tab in place of the current one, without a break. */
  switchSharing(): Promise<void>;
  stopSharing(): void;
  /** Hangs up; `codeMismatch` when the customer said the verification codes differ. */
  endSession(reason?: 'codeMismatch'): void;
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

  const [shareState, setShareState] = useState<ScreenShare<SessionConnection> | null>(null);
  const [analystPresent, setAnalystPresent] = useState(true);
  const [shareAgain, setShareAgain] = useState(false);

  const client = useRef<SignalingClient | null>(null);
  const peer = useRef<SessionConnection | null>(null);
  /** The screen share (screen-share.ts): what is shared and on which connection. */
  const share = useRef<ScreenShare<SessionConnection> | null>(null);
  /** The session's connections (numbering, replacement after a loss): session-connections.ts. */
  const connections = useRef<CustomerConnections | null>(null);

  const teardownMedia = useCallback(() => {
    share.current?.end();
    connections.current?.stop();
    peer.current?.destroy();
    peer.current = null;
    setPeerState(null);
    setPeerConnected(false);
  }, []);

  useEffect(() => {
    let disposed = false;

    let ticketId: string | null = null;
    const finish = (reason: EndReason | null) => {
      // What this browser kept of the session for a reload goes now (session-history.ts).
      if (ticketId) new SessionHistory().end(ticketId, removeScopeFiles);
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

    const sessionConnections = new CustomerConnections({
      send: (frame) => signaling.send(frame),
      isSignalingOpen: () => signaling.isOpen,
      // From the clock, always above the last: a reloaded page or a second tab starts above every earlier page.
      linkNumber: (previous) => numberAboveClock(previous),
    });
    connections.current = sessionConnections;
    const screenShare = new ScreenShare<SessionConnection>({
      connection: () => sessionConnections.connection,
      tellServer: (sharing) => void signaling.send({ type: 'share.state', sharing }),
    });
    share.current = screenShare;
    setShareState(screenShare);
    screenShare.on('change', (stream) => {
      setScreen(stream);
      if (stream) setShareAgain(false);
    });
    screenShare.on('problem', (problem) => setShareProblem(problem));
    sessionConnections.on('connection', (connection) => {
      peer.current = connection;
      setPeerState(connection);
      // The analyst may ask for a sharper or a smoother picture; only the encoder's trade-off changes.
      connection?.channels.onControl((message) => message.type === 'quality.mode' && void connection.setQualityMode(message.mode));
      // A new connection after a lost one: the screen the customer still shares goes on it.
      if (connection) screenShare.onConnection(connection);
    });
    sessionConnections.on('connected', (connection) => {
      setPeerError(null);
      setPeerConnected(true);
    });
    sessionConnections.on('closed', () => setPeerConnected(false));
    sessionConnections.on('error', (detail) => setPeerError(detail));
    signaling.onState((state, close) => {
      if (disposed) return;
      setSocket(state);
      if (state === 'closed' && close?.code === CLOSE_CODES.replaced) {
        // A newer tab has the session: this one lets go of it, and offers to take it back.
        setPhase((current) => (current === 'ended' ? current : 'replaced'));
        teardownMedia();
        return;
      }
      if (state === 'closed' && close?.final) {
        setPhase((current) => (current === 'ended' ? current : 'ended'));
        teardownMedia();
      }
    });
    let firstStatus = true;
    let lastState: TicketStatus['state'] | null = null;
    signaling.on('ticket.status', (frame) => {
      ticketId = frame.ticketId;
      // A waiting status without its outlook keeps the last one (the server sends it when it changes).
      setStatus((previous) => (frame.state === 'waiting' && !frame.outlook && previous?.state === 'waiting' && previous.outlook ? { ...frame, outlook: previous.outlook } : frame));
      if (frame.state === 'ended') return finish(frame.endReason ?? null);
      // Handed over to another analyst: this session's connection, screen and record go; the next
      // analyst starts afresh (the customer consents again, to them; a new verification code).
      if (frame.state === 'waiting' && lastState !== null && lastState !== 'waiting') {
        screenShare.handOver();
        sessionConnections.handOver();
        new SessionHistory().end(frame.ticketId, removeScopeFiles);
        setShareAgain(false);
      }
      lastState = frame.state;
      setPhase(phaseOf(frame));
      // Back in a session whose screen was shared (this page was reloaded, or is a new tab): the
      // browser needs the customer's click to share again. The server hears it is not shared now.
      if (frame.state === 'live' && !screenShare.isSharing) {
        signaling.send({ type: 'share.state', sharing: false });
        if (firstStatus) setShareAgain(true);
      }
      firstStatus = false;
      if (frame.state === 'consented' || frame.state === 'live') sessionConnections.ensure();
    });
    let analystWasPresent = true;
    signaling.on('session.presence', (frame) => {
      // Back after a reload or a network change: a connection that is down now was made for a
      // page that is gone, or its offer went nowhere: the next one starts at once.
      if (!analystWasPresent && frame.analyst) sessionConnections.renewIfDown();
      analystWasPresent = frame.analyst;
      setAnalystPresent(frame.analyst);
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
    share: shareState,
    peer: peerState,
    signaling: signalingState,
    analystPresent,
    shareAgain,
    // The page starts over and, as the newest, takes the session (the other tab is told).
    takeOver: () => location.reload(),
    cancel: () => client.current?.send({ type: 'ticket.cancel' }),
    answerConsent: (allow) => {
      if (client.current?.send({ type: 'consent.reply', allow }) && allow) connections.current?.allowed();
    },
    startSharing: async () => share.current?.start(),
    switchSharing: async () => share.current?.switch(),
    stopSharing: () => share.current?.stop(),
    endSession: (reason) => client.current?.send({ type: 'session.end', ...(reason ? { reason } : {}) }),
  };
}
