import type { WebSocket } from 'ws';
import { ERRORS, type AnalystStatus, type ConnectionRole, type ErrorCode, type ServerFrame } from '../../protocol/index.js';
import type { Analyst } from '../auth/accounts.js';

/** One WebSocket client, with who it is (fixed at the upgrade) and what it is attached to. */
export class Connection {
  /** Customer and helper: their ticket. Analyst: the session it took, if any. */
  ticketId: string | null;
  invalidFrames = 0;
  /** When this member of a session gets fresh TURN credentials (epoch ms); null: not due. */
  iceRefreshAt: number | null = null;
  /** Frames per second this connection may send; set by the route from FRAME_RATE_PER_SECOND. */
  bucket: { take(): boolean } = { take: () => true };
  /** An analyst's console: available or away (analyst.status), and since when (epoch ms, set on attach). */
  status: AnalystStatus = 'available';
  statusSince = 0;
  /** An analyst's session: the media route their page measured (session.route), for the supervisor. */
  route: 'direct' | 'relay' | null = null;
  private closed = false;

  constructor(
    readonly id: string,
    readonly role: ConnectionRole,
    private readonly socket: WebSocket,
    readonly analyst: Analyst | null,
    ticketId: string | null,
    private readonly countError: (code: ErrorCode) => void = () => undefined,
  ) {
    this.ticketId = ticketId;
  }

  send(frame: ServerFrame): void {
    this.sendSerialized(JSON.stringify(frame));
  }

  /** A frame already serialised: one frame for many sockets is serialised once (Hub's broadcasts). */
  sendSerialized(text: string): void {
    // OPEN === 1; a frame for a closing socket is dropped, the peer is gone anyway.
    if (this.socket.readyState === 1) this.socket.send(text);
  }

  sendError(code: ErrorCode, ref?: string): void {
    this.countError(code);
    this.send({ type: 'error', code, message: ERRORS[code], ...(ref ? { ref } : {}) });
  }

  isClosed(): boolean {
    return this.closed;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }
}
