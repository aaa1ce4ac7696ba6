import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isLinkClosed, LINK_CLOSED, type EndReason, type ErrorCode, type IceConfig, type QueueInfo, type SessionState, type TicketSummary } from '../../protocol/index.js';
import { NO_ICE, SessionConnection } from '../session/session-connection.js';
import { analystSignalFate } from '../session/connection-replacement.js';
import { SignalingClient, type SocketState } from '../session/signaling-client.js';

export interface AnalystSessionInfo {
  id: string;
  ticket: TicketSummary;
  state: SessionState;
  endReason: EndReason | null;
  /** When this console saw the session start and end (for the summary). */
  startedAt: number;
  endedAt: number | null;
}

export interface AnalystConsole {
  socket: SocketState;
  queues: QueueInfo[];
  tickets: TicketSummary[];
  /** Server time minus local time, so waiting times are right even with a skewed clock. */
  clockOffset: number;
  session: AnalystSessionInfo | null;
  remoteStream: MediaStream | null;
  peer: SessionConnection | null;
  notice: ErrorCode | null;
  take(ticketId: string): void;
  endSession(): void;
  /** Tells ops (metrics) whether this session's media is direct or relayed. */
  reportRoute(route: 'direct' | 'relay'): void;
  closeSession(): void;
  dismissNotice(): void;
}

/** The analyst's live view of their queues and their current session. */
export function useAnalystConsole(onSignedOut: () => void): AnalystConsole {
  const [socket, setSocket] = useState<SocketState>('connecting');
  const [queues, setQueues] = useState<QueueInfo[]>([]);
  const [tickets, setTickets] = useState<TicketSummary[]>([]);
  const [clockOffset, setClockOffset] = useState(0);
  const [session, setSession] = useState<AnalystSessionInfo | null>(null);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const [peerState, setPeerState] = useState<SessionConnection | null>(null);
  const [notice, setNotice] = useState<ErrorCode | null>(null);
  const client = useRef<SignalingClient | null>(null);
  const peer = useRef<SessionConnection | null>(null);
  const ice = useRef<IceConfig>(NO_ICE);

  const dropPeer = useCallback(() => {
    peer.current?.destroy();
    peer.current = null;
    setPeerState(null);
    setRemoteStream(null);
  }, []);

  useEffect(() => {
    let disposed = false;

    /** The answering end of the customer's link `number`, in place of any earlier one (connection-replacement.ts). */
    const startPeer = (number: number) => {
      peer.current?.destroy();
      const link = new SessionConnection('analyst', ice.current, {
        onSignal: (data) => client.current?.send({ type: 'signal', link: number, data }),
        onConnect: () => undefined,
        onRemoteStream: (stream) => {
          if (peer.current !== link) return;
          setRemoteStream(stream);
          // When the customer stops sharing, the tracks end: clear the picture.
          stream.getTracks().forEach((track) => track.addEventListener('ended', () => peer.current === link && setRemoteStream(null)));
        },
        onClose: () => {
          if (peer.current !== link) return;
          setRemoteStream(null);
          // Failed on this side: tell the customer's page, which makes the next link without
          // waiting for its own end to fail. A clean close came from the customer's page: it knows.
          if (link.channels.interrupted) client.current?.send({ type: 'signal', link: number, data: LINK_CLOSED });
        },
        onError: () => undefined,
      }, number);
      peer.current = link;
      setPeerState(link);
      return link;
    };

    const ensurePeer = () => peer.current ?? startPeer(0);

    // One client for the console's life. The peer connection is browser to browser: it keeps
    // streaming while signaling reconnects, and the server gives this console its session back
    // (queue.snapshot.resumedSessionId). Before each reconnection: still signed in?
    const signaling = new SignalingClient('', {
      beforeReconnect: async () => {
        const me = await fetch('/api/me').catch(() => null);
        if (disposed) return false;
        if (me?.status === 401) {
          onSignedOut();
          return false;
        }
        return true;
      },
    });
    client.current = signaling;
    signaling.onState((state) => !disposed && setSocket(state));
    signaling.on('queue.snapshot', (frame) => {
      // A session this console had, and that did not come back with the reconnection, is over.
      setSession((current) => {
        if (!current || current.state === 'ended' || current.id === frame.resumedSessionId) return current;
        dropPeer();
        return { ...current, state: 'ended', endReason: 'analystLeft', endedAt: Date.now() };
      });
      setQueues(frame.queues);
      setTickets(frame.tickets);
      setClockOffset(frame.serverTime - Date.now());
    });
    signaling.on('queue.ticketUpserted', (frame) =>
      setTickets((list) => [...list.filter((t) => t.id !== frame.ticket.id), frame.ticket]),
    );
    signaling.on('queue.ticketRemoved', (frame) => setTickets((list) => list.filter((t) => t.id !== frame.ticketId)));
    signaling.on('session.started', (frame) => {
      setNotice(null);
      // The same session again after a reconnection: keep the picture and the peer connection.
      setSession((current) =>
        current?.id === frame.sessionId
          ? current
          : { id: frame.sessionId, ticket: frame.ticket, state: frame.ticket.state, endReason: null, startedAt: Date.now(), endedAt: null });
    });
    signaling.on('session.state', (frame) => {
      setSession((current) =>
        current && current.id === frame.sessionId
          ? { ...current, state: frame.state, endReason: frame.endReason ?? null, endedAt: frame.state === 'ended' ? Date.now() : null }
          : current,
      );
      if (frame.state === 'consented' || frame.state === 'live') ensurePeer();
      if (frame.state === 'consented') setRemoteStream(null);
      if (frame.state === 'ended') dropPeer();
    });
    signaling.on('session.ice', ({ iceServers, iceTransportPolicy }) => {
      // The first credentials, or fresh ones before the last expire: a running link takes them too.
      ice.current = { iceServers, iceTransportPolicy };
      peer.current?.updateIce(ice.current);
    });
    signaling.on('signal', (frame) => {
      if (isLinkClosed(frame.data)) return; // only the analyst's page says that
      const number = frame.link ?? 0;
      const fate = analystSignalFate(peer.current, number);
      if (fate === 'ignore') return;
      (fate === 'replace' ? startPeer(number) : peer.current!).signal(frame.data);
    });
    signaling.on('error', (frame) => setNotice(frame.code));
    signaling.connect();
    return () => {
      disposed = true;
      signaling.close();
      dropPeer();
    };
  }, [dropPeer, onSignedOut]);

  const sorted = [...tickets].sort((a, b) => a.createdAt - b.createdAt);
  return {
    socket,
    queues,
    tickets: sorted,
    clockOffset,
    session,
    remoteStream,
    peer: peerState,
    notice,
    take: (ticketId) => {
      setNotice(null);
      client.current?.send({ type: 'ticket.take', ticketId });
    },
    endSession: () => client.current?.send({ type: 'session.end' }),
    reportRoute: (route) => client.current?.send({ type: 'session.route', route }),
    closeSession: () => setSession(null),
    dismissNotice: () => setNotice(null),
  };
}
