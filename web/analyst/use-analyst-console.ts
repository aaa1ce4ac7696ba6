import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { CLOSE_CODES, type AnalystStatus, type EndReason, type ErrorCode, type QueueInfo, type QueueTeamEntry, type SessionState, type TicketSummary } from '../../protocol/index.js';
import type { SessionConnection } from '../session/session-connection.js';
import { AnalystConnections } from '../session/session-connections.js';
import { SignalingClient, type SocketState } from '../session/signaling-client.js';
import type { SharingSource } from '../activity/sharing-activity.js';
import { SessionSharing } from './session-sharing.js';
import { applyQueueChanges } from './queue-changes.js';
import { SessionHistory } from '../activity/session-history.js';
import { removeScopeFiles } from '../files/session-files.js';

export interface AnalystSessionInfo {
  id: string;
  ticket: TicketSummary;
  state: SessionState;
  endReason: EndReason | null;
  /** When this console saw the session start and end (for the summary). */
  startedAt: number;
  endedAt: number | null;
  /** What the customer said of the session on their ended screen, if they rated it. */
  rating?: { score: number; comment?: string };
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
  /** When the customer starts and stops sharing, as the server says (the activity log listens). */
  sharing: SharingSource;
  /** The customer's page is connected (false: reconnecting, after a reload or a network change). */
  customerPresent: boolean;
  /** This console is open in a newer tab, which has the session now. */
  replaced: boolean;
  /** The analyst's availability as the server holds it (null until it said). */
  status: AnalystStatus | null;
  /** Each of the analyst's queues: analysts online and available. */
  team: QueueTeamEntry[];
  setStatus(status: AnalystStatus): void;
  /** Hands the session over to a queue, or to a colleague in it, with a note for the next analyst. */
  handOver(target: { queue: string; analystId?: string }, note: string): void;
  take(ticketId: string): void;
  /** Hangs up; `codeMismatch` when the analyst said the verification codes differ. */
  endSession(reason?: 'codeMismatch'): void;
  /** Tells ops (metrics) whether this session's media is direct or relayed. */
  reportRoute(route: 'direct' | 'relay'): void;
  closeSession(): void;
  dismissNotice(): void;
}

const STATUS_KEY = 'relaydesk.analyst.status';
const savedStatus = (): AnalystStatus => (globalThis.localStorage?.getItem(STATUS_KEY) === 'away' ? 'away' : 'available');

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
  const [customerPresent, setCustomerPresent] = useState(true);
  const [replaced, setReplaced] = useState(false);
  const [status, setStatusState] = useState<AnalystStatus | null>(null);
  const [team, setTeam] = useState<QueueTeamEntry[]>([]);
  const client = useRef<SignalingClient | null>(null);
  /** The session's connection (answering each new one the customer makes): session-connections.ts. */
  const connections = useRef<AnalystConnections | null>(null);

  const dropPeer = useCallback(() => connections.current?.drop(), []);
  const sharing = useRef(new SessionSharing()).current;

  useEffect(() => {
    let disposed = false;


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
    signaling.onState((state, close) => {
      if (disposed) return;
      setSocket(state);
      if (state === 'closed' && close?.code === CLOSE_CODES.replaced) {
        // A newer console (another tab) has this analyst's session now: let go of the connection.
        setReplaced(true);
        dropPeer();
      }
    });
    let customerWasPresent = true;
    signaling.on('session.presence', (frame) => {
      // The customer is back: a reloaded page, or a new tab, starts a new connection.
      if (!customerWasPresent && frame.customer) sessionConnections.expectNewPage();
      customerWasPresent = frame.customer;
      setCustomerPresent(frame.customer);
    });
    const sessionConnections = new AnalystConnections({ send: (frame) => signaling.send(frame), isSignalingOpen: () => signaling.isOpen });
    connections.current = sessionConnections;
    sessionConnections.on('connection', (connection) => setPeerState(connection));
    sessionConnections.on('remoteStream', (stream) => setRemoteStream(stream));
    signaling.on('queue.snapshot', (frame) => {
      // A session this console had, and that did not come back with the reconnection, is over.
      setSession((current) => {
        if (!current || current.state === 'ended' || current.id === frame.resumedSessionId) return current;
        dropPeer();
        new SessionHistory().end(current.id, removeScopeFiles);
        return { ...current, state: 'ended', endReason: 'analystLeft', endedAt: Date.now() };
      });
      setQueues(frame.queues);
      setTickets(frame.tickets);
      setClockOffset(frame.serverTime - Date.now());
      // The server starts every console available: an analyst who said "away" stays away across reloads.
      if (savedStatus() === 'away') signaling.send({ type: 'analyst.status', status: 'away' });
    });
    signaling.on('queue.team', (frame) => {
      setStatusState(frame.status);
      setTeam(frame.queues);
    });
    signaling.on('queue.ticketUpserted', (frame) => setTickets((list) => applyQueueChanges(list, [{ upserted: frame.ticket }])));
    signaling.on('queue.ticketRemoved', (frame) => setTickets((list) => applyQueueChanges(list, [{ removed: frame.ticketId, reason: frame.reason }])));
    // A busy moment's changes in one frame (the server batches them): one update of the list.
    signaling.on('queue.changes', (frame) => setTickets((list) => applyQueueChanges(list, frame.changes)));
    signaling.on('session.started', (frame) => {
      setNotice(null);
      customerWasPresent = true;
      setCustomerPresent(true);
      // The same session again after a reconnection: keep the picture and the peer connection.
      setSession((current) =>
        current?.id === frame.sessionId
          ? current
          : { id: frame.sessionId, ticket: frame.ticket, state: frame.ticket.state, endReason: null, startedAt: Date.now(), endedAt: null });
    });
    signaling.on('session.state', (frame) => {
      sharing.onState(frame.sessionId, frame.state);
      setSession((current) =>
        current && current.id === frame.sessionId
          ? { ...current, state: frame.state, endReason: frame.endReason ?? null, endedAt: frame.state === 'ended' ? Date.now() : null }
          : current,
      );
      // The picture shows while the state is live: the stream itself comes with the connection's
      // first answer and stays for every share on it (session-connection.ts).
      if (frame.state === 'ended') {
        dropPeer();
        // What this browser kept of the session for a reload goes now (session-history.ts).
        new SessionHistory().end(frame.sessionId, removeScopeFiles);
      }
    });
    signaling.on('session.rated', (frame) => {
      setSession((current) => (current?.id === frame.sessionId ? { ...current, rating: { score: frame.score, ...(frame.comment ? { comment: frame.comment } : {}) } } : current));
    });
    signaling.on('session.ice', ({ iceServers, iceTransportPolicy }) => sessionConnections.setIce({ iceServers, iceTransportPolicy }));
    signaling.on('signal', (frame) => sessionConnections.onSignal(frame));
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
    sharing,
    customerPresent,
    replaced,
    status,
    team,
    setStatus: (next) => {
      globalThis.localStorage?.setItem(STATUS_KEY, next);
      client.current?.send({ type: 'analyst.status', status: next });
    },
    handOver: (target, note) => {
      setNotice(null);
      client.current?.send({ type: 'session.transfer', queue: target.queue, ...(target.analystId ? { analystId: target.analystId } : {}), ...(note ? { note } : {}) });
    },
    take: (ticketId) => {
      setNotice(null);
      client.current?.send({ type: 'ticket.take', ticketId });
    },
    endSession: (reason) => client.current?.send({ type: 'session.end', ...(reason ? { reason } : {}) }),
    reportRoute: (route) => client.current?.send({ type: 'session.route', route }),
    closeSession: () => setSession(null),
    dismissNotice: () => setNotice(null),
  };
}
