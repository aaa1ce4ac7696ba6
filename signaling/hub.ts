import { CLOSE_CODES, singleQueueChange, type AnalystStatus, type QueueChange, type QueueInfo, type ServerFrame, type SessionPresence, type SessionState, type TicketStatus, type TicketSummary } from '../protocol/index.js';
import { nodeOf, type Bus } from './bus.js';
import type { Clock } from './clock.js';
import type { HelperPairing } from './helper-pairing.js';
import { isEnded, isInSession, isWaiting, mayHoldIce } from './session-machine.js';
import type { NodeRegistry } from './node-registry.js';
import type { TicketRecord, TicketStore, Transfer } from './store/ticket-store.js';
import { namedConnections, PRESENCE_FIELDS, TRANSFER_RESERVE_MS } from './store/ticket-rules.js';
import type { IceServerIssuer } from './turn-credentials.js';
import { outlookKey, type QueueOutlooks } from './queue-outlook.js';
import { teamOf, type PresenceEntry, type TeamPresence } from './team-presence.js';
import type { RatingSlots } from './rating-slots.js';

import { Connection } from './ws/connection.js';

/** What the hub keeps of the people around the tickets: the team's presence, the queues' outlook, the ratings to come. */
export interface HubPeople {
  team: TeamPresence;
  outlooks: QueueOutlooks;
  ratings: RatingSlots;
}

/** A position pass over more waiting customers than this is a long one (Hub.linesToSend). */
export const LONG_PASS = 200;
/** A queue's long position passes run at most this often: positions reach everyone within it. */
export const POSITION_PASS_MS = 250;

/**
 * The team's changes of this interval reach the consoles and the waiting customers together: every
 * take puts an analyst in a session, and a burst of takes must not be a pass over every waiting
 * customer each.
 */
export const TEAM_CHANGES_MS = 200;
/** An outlook pass looks at this many waiting customers per turn of the event loop. */
export const OUTLOOK_CHUNK = 500;
/** This node's analysts are reported to the team's presence at most this often. */
export const TEAM_REPORT_MS = 50;

/** The analysts' consoles hear the queues' changes of this interval together (one frame when several). */
export const QUEUE_CHANGES_MS = 50;

export function toSummary(ticket: TicketRecord): TicketSummary {
  return {
    id: ticket.id,
    queue: ticket.queue,
    name: ticket.customer.name,
    email: ticket.customer.email,
    phone: ticket.customer.phone,
    problem: ticket.customer.problem ?? '',
    createdAt: ticket.createdAt,
    customerOnline: ticket.customerOnline,
    state: ticket.state,
    ...(ticket.analyst ? { analystName: ticket.analyst.name } : {}),
    ...(ticket.transfer ? { transfer: transferSummary(ticket.transfer) } : {}),
  };
}

function transferSummary(transfer: Transfer): NonNullable<TicketSummary['transfer']> {
  const reserved = transfer.reservedFor;
  return {
    fromName: transfer.fromName,
    note: transfer.note,
    ...(reserved ? { reservedForId: reserved.id, reservedForName: reserved.name, reservedUntil: transfer.at + TRANSFER_RESERVE_MS } : {}),
  };
}

/** Whether each member of a session is connected now. */
export const presenceOf = (ticket: TicketRecord): SessionPresence => ({
  type: 'session.presence',
  sessionId: ticket.id,
  customer: ticket.customerConnection !== null,
  analyst: (ticket.analyst?.connectionId ?? null) !== null,
});

/**
 * Knows this node's sockets, and turns every store change into the frames each party should see.
 * It never decides about tickets itself (the store does); it reacts to the store's change events,
 * which every node receives, so each node serves its own sockets. Frames for a socket on another
 * node (a relayed signal) go through the bus.
 */
export class Hub {
  /** Every socket of this node, by its node-qualified id. */
  private readonly connections = new Map<string, Connection>();
  private readonly analysts = new Set<Connection>();
  private readonly queueNames: Map<string, string>;
  private readonly unsubscribe: () => void;

  /** The position each local waiting customer was last told (so only changes are sent). */
  private readonly sentPositions = new Map<string, number>();
  /** The outlook each local waiting customer was last told, as its outlookKey (sent again only when it changed). */
  private readonly sentOutlooks = new Map<string, string>();
  private readonly unsubscribeTeam: () => void;
  private teamTimer: ReturnType<typeof setTimeout> | undefined;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  /** The queue.team each console was last sent, as JSON (sent again only when it changed). */
  private readonly sentTeams = new WeakMap<Connection, string>();
  /** The outlook pass under way (refreshOutlooks): the queues still to do, and where it is in the current one. */
  private outlookPass: { queue: string | null; index: number } | null = null;
  private readonly outlookQueues = new Set<string>();
  /** Each queue's team counts ("online/available") at the last pass over its waiting customers. */
  private readonly sentCounts = new Map<string, string>();
  private readonly team: TeamPresence;
  private readonly outlooks: QueueOutlooks;
  private readonly ratings: RatingSlots;
  /** The presence last sent for each session with a member on this node (presenceToSend). */
  private readonly sentPresence = new Map<string, string>();
  /** Queues whose waiting line changed and awaits its pass: the first index that moved (linesToSend). */
  private readonly pendingLines = new Map<string, number>();
  /** When each queue's last long pass ran (performance.now()), and the timers of the ones waiting. */
  private readonly lastLongPass = new Map<string, number>();
  private readonly passTimers = new Set<ReturnType<typeof setTimeout>>();
  /** The analysts' queue changes not sent yet, by ticket (notifyQueueAnalysts). */
  private readonly queueChanges = new Map<string, { queue: string; change: QueueChange }>();
  private queueTimer: ReturnType<typeof setTimeout> | undefined;
  private lastQueueFlush = -Infinity;

  constructor(
    private readonly store: TicketStore,
    queues: QueueInfo[],
    private readonly clock: Clock,
    private readonly ice: IceServerIssuer,
    private readonly pairing: HelperPairing,
    private readonly bus: Bus,
    private readonly nodes: NodeRegistry,
    people: HubPeople,
  ) {
    this.team = people.team;
    this.outlooks = people.outlooks;
    this.ratings = people.ratings;
    this.queueNames = new Map(queues.map((q) => [q.id, q.name]));
    this.unsubscribe = store.subscribe((ticket, previous) => this.onTicketChange(ticket, previous));
    this.unsubscribeTeam = this.team.onChange(() => this.teamChanged());
    bus.onMessage((message) => {
      const conn = this.connections.get(message.connectionId);
      if (message.kind === 'send') conn?.send(message.frame);
      else conn?.close(message.code, message.reason);
    });
  }

  get nodeId(): string {
    return this.bus.nodeId;
  }

  get customerCount(): number {
    return [...this.connections.values()].filter((c) => c.role === 'customer').length;
  }

  get analystCount(): number {
    return this.analysts.size;
  }

  register(conn: Connection): void {
    this.connections.set(conn.id, conn);
    if (conn.role !== 'analyst') return;
    // A second console of an analyst takes the status they already have.
    const other = [...this.analysts].find((c) => c.analyst?.id === conn.analyst?.id);
    conn.status = other?.status ?? 'available';
    conn.statusSince = other?.statusSince ?? this.clock.now();
    this.analysts.add(conn);
    this.reportTeam();
  }

  /** An analyst said they are available or away: every console of theirs on this node follows. */
  setStatus(conn: Connection, status: AnalystStatus): void {
    const now = this.clock.now();
    for (const other of this.analysts) {
      if (other.analyst?.id !== conn.analyst?.id || other.status === status) continue;
      other.status = status;
      other.statusSince = now;
    }
    // At once: the console is answered with the team as it is now.
    this.reportTeamNow();
    // Told even when nothing changed: the console waits for the server's word.
    this.sendTeam(conn);
  }

  /** The analyst's page measured its session's media route (the supervisor's view shows it). */
  setRoute(conn: Connection, route: 'direct' | 'relay'): void {
    if (conn.route === route) return;
    conn.route = route;
    this.reportTeam();
  }

  /**
   * This node's analysts changed (a console came or went, a session started or ended): the
   * team's presence hears it once per TEAM_REPORT_MS, so 10,000 consoles connecting are not
   * 10,000 reports of 10,000 entries each.
   */
  private reportTeam(): void {
    if (this.reportTimer) return;
    this.reportTimer = setTimeout(() => this.reportTeamNow(), TEAM_REPORT_MS);
  }

  /** This node's analysts, as the team's presence (one entry per console; the presence merges them). */
  private reportTeamNow(): void {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    const entries: PresenceEntry[] = [];
    for (const conn of this.analysts) {
      if (!conn.analyst) continue;
      entries.push({ analystId: conn.analyst.id, name: conn.analyst.displayName, status: conn.status, since: conn.statusSince, queues: conn.analyst.queues, sessionId: conn.ticketId, route: conn.ticketId ? conn.route : null });
    }
    this.team.report(entries);
    // A console that just connected hears its team once it counts in it (even when the merged
    // view did not change: another console of the same analyst was there already).
    for (const conn of this.analysts) if (!this.sentTeams.has(conn)) this.sendTeam(conn);
  }

  /** `always`: the console asked (its status), so it is answered even when nothing changed. */
  private sendTeam(conn: Connection, always = true): void {
    if (!conn.analyst) return;
    const frame: ServerFrame = { type: 'queue.team', status: conn.status, queues: teamOf(this.team.all(), conn.analyst.queues) };
    const text = JSON.stringify(frame);
    if (!always && this.sentTeams.get(conn) === text) return;
    this.sentTeams.set(conn, text);
    conn.sendSerialized(text);
  }

  private teamChanged(): void {
    if (this.teamTimer) return;
    this.teamTimer = setTimeout(() => {
      this.teamTimer = undefined;
      for (const conn of this.analysts) this.sendTeam(conn, false);
      // Only the queues whose counts moved: an analyst's next session (every take) changes no count.
      const counts = teamOf(this.team.all(), [...this.queueNames.keys()]);
      const moved = counts.filter((entry) => this.sentCounts.get(entry.queue) !== `${entry.online}/${entry.available}`).map((entry) => entry.queue);
      for (const entry of counts) this.sentCounts.set(entry.queue, `${entry.online}/${entry.available}`);
      if (moved.length > 0) this.refreshOutlooks(moved);
    }, TEAM_CHANGES_MS);
  }

  /**
   * Every local waiting customer whose outlook changed hears it (a member of the team came or
   * went, the estimate moved with time, a queue opened or closed). Called on team changes and by
   * the server every OUTLOOK_REFRESH_MS.
   */
  refreshOutlooks(queues: Iterable<string> = this.queueNames.keys()): void {
    for (const queue of queues) this.outlookQueues.add(queue);
    if (this.outlookPass) return;
    this.outlookPass = { queue: null, index: 0 };
    setImmediate(() => this.outlookChunk());
  }

  /**
   * One stretch of the outlook pass: at most OUTLOOK_CHUNK waiting customers, then the event loop
   * gets a turn (a take's position updates do not wait behind a pass over 10,000 customers).
   */
  private outlookChunk(): void {
    const pass = this.outlookPass;
    if (!pass) return;
    let budget = OUTLOOK_CHUNK;
    while (budget > 0) {
      if (pass.queue === null) {
        const next = this.outlookQueues.values().next();
        if (next.done) {
          this.outlookPass = null;
          return;
        }
        this.outlookQueues.delete(next.value);
        pass.queue = next.value;
        pass.index = 0;
      }
      const line = this.store.waitingIn(pass.queue);
      for (; pass.index < line.length && budget > 0; pass.index++, budget--) {
        const ticket = line[pass.index];
        const customer = this.local(ticket.customerConnection);
        if (!customer) continue;
        const position = pass.index + 1;
        if (this.sentOutlooks.get(ticket.id) !== outlookKey(this.outlooks.outlook(pass.queue, position))) customer.send(this.statusFor(ticket, position));
      }
      if (pass.index >= line.length) pass.queue = null;
    }
    setImmediate(() => this.outlookChunk());
  }

  /** Sends to a socket on this node or any other. */
  sendTo(connectionId: string | null | undefined, frame: ServerFrame): void {
    if (!connectionId) return;
    const local = this.connections.get(connectionId);
    if (local) return local.send(frame);
    this.bus.publish(nodeOf(connectionId), { kind: 'send', connectionId, frame });
  }

  private closeRemote(connectionId: string, code: number, reason: string): void {
    const local = this.connections.get(connectionId);
    if (local) return local.close(code, reason);
    this.bus.publish(nodeOf(connectionId), { kind: 'close', connectionId, code, reason });
  }

  async attachCustomer(conn: Connection, ticket: TicketRecord): Promise<void> {
    // One live socket per ticket: a second tab (or a reload that raced the old socket) replaces the first.
    const previous = ticket.customerConnection;
    if (previous && previous !== conn.id) this.closeRemote(previous, CLOSE_CODES.replaced, 'replaced by a newer connection');
    const result = await this.store.setPresence(ticket.id, { customerConnection: conn.id });
    if (!result.ok) return conn.close(4401, 'ticket ended');
    conn.send(this.statusFor(result.ticket, undefined, true));
    // Back in a running session (a reload, a reconnect): fresh credentials, the last may be old.
    if (mayHoldIce('customer', result.ticket.state)) this.sendIce(conn, result.ticket);
    if (isInSession(result.ticket.state)) conn.send(presenceOf(result.ticket));
  }

  async attachAnalyst(conn: Connection, queues: QueueInfo[]): Promise<void> {
    // Back after a reload, a dropped connection or a server restart, or opened in a second tab: the
    // newest console takes the analyst's session up again where it was, and the console that held
    // it is told (CLOSE_CODES.replaced) and offers to take it back. Consoles without a session (a
    // second window on the queue) stay.
    // Not one whose customer closed their page: it ends within CLOSED_GRACE_MS anyway, and this
    // console shows the queue meanwhile (its customer, if they come back, finds the analyst back too).
    const mine = this.store.all().find((t) => isInSession(t.state) && t.analyst?.id === conn.analyst?.id && !t.customerClosed);
    if (mine?.analyst?.connectionId && mine.analyst.connectionId !== conn.id) this.closeRemote(mine.analyst.connectionId, CLOSE_CODES.replaced, 'replaced by a newer console');
    const resumed = mine ? await this.store.setPresence(mine.id, { analystConnection: conn.id }) : null;
    const session = resumed?.ok && isInSession(resumed.ticket.state) ? resumed.ticket : null;
    const tickets = queues.flatMap((q) => this.store.waitingIn(q.id)).map(toSummary);
    conn.send({
      type: 'queue.snapshot',
      analystName: conn.analyst?.displayName ?? '',
      queues,
      tickets,
      serverTime: this.clock.now(),
      ...(session ? { resumedSessionId: session.id } : {}),
    });
    // queue.team follows with the next report of this node's analysts (TEAM_REPORT_MS), which counts this console.
    if (!session) return;
    conn.ticketId = session.id;
    this.reportTeam();
    conn.send({ type: 'session.started', sessionId: session.id, ticket: toSummary(session) });
    conn.send({ type: 'session.state', sessionId: session.id, state: session.state });
    conn.send(presenceOf(session));
    if (mayHoldIce('analyst', session.state)) this.sendIce(conn, session);
  }

  /**
   * TURN credentials are short-lived: every member of a running session on this node whose
   * credentials are a refresh period old gets new ones (called by the server's sweep, each second).
   */
  refreshIce(): void {
    const now = this.clock.now();
    for (const conn of this.connections.values()) {
      if (conn.iceRefreshAt === null || conn.iceRefreshAt > now) continue;
      const ticket = conn.ticketId ? this.store.get(conn.ticketId) : undefined;
      if (ticket && mayHoldIce(conn.role, ticket.state)) this.sendIce(conn, ticket);
      else conn.iceRefreshAt = null;
    }
  }

  /** Sends a member (customer or analyst) its own ICE servers and credentials for the session. */
  private sendIce(conn: Connection, ticket: TicketRecord): void {
    conn.send({ type: 'session.ice', sessionId: ticket.id, ...this.ice.issue(`${ticket.id.slice(0, 8)}-${conn.role}`) });
    const after = this.ice.refreshAfterMs;
    conn.iceRefreshAt = after === null ? null : this.clock.now() + after;
  }

  /**
   * Whether a connection id still stands for a live socket: on this node, it is registered; on
   * another, that node is alive (asked of the registry, never guessed from a stale cache).
   */
  async isConnected(connectionId: string | null, alive: Map<string, Promise<boolean>> = new Map()): Promise<boolean> {
    if (!connectionId) return false;
    const node = nodeOf(connectionId);
    if (node === this.nodeId) return this.connections.has(connectionId);
    if (!alive.has(node)) alive.set(node, this.nodes.isAlive(node));
    return alive.get(node)!;
  }

  /** Connections held by nodes that died count as dropped: their people get the grace to come back. */
  async releaseDeadConnections(): Promise<void> {
    const alive = new Map<string, Promise<boolean>>(); // one question per node per sweep
    for (const ticket of this.store.all()) {
      const presence: { customerConnection?: null; helperConnection?: null; analystConnection?: null } = {};
      const onlyIf: { customerConnection?: string[]; helperConnection?: string[]; analystConnection?: string[] } = {};
      const named = namedConnections(ticket);
      for (const field of PRESENCE_FIELDS) {
        const connection = named[field];
        if (!connection || (await this.isConnected(connection, alive))) continue;
        presence[field] = null;
        onlyIf[field] = [connection];
      }
      // Only while the record still names those connections: the person may be back on a new one.
      if (Object.keys(presence).length > 0) await this.store.setPresence(ticket.id, { ...presence, onlyIf });
    }
  }

  /** A ticket's live pairing code was burned (too many wrong codes tried): its customer gets a new one, and is told why. */
  async replaceBurnedCode(ticketId: string): Promise<void> {
    const ticket = this.store.get(ticketId);
    if (!ticket?.customerConnection) return;
    this.sendTo(ticket.customerConnection, { type: 'helper.code', ...(await this.pairing.issue(ticketId)), burned: true });
  }

  /** The customer's page refused this helper (it could not prove the pairing secret). */
  dropHelper(connectionId: string): void {
    this.closeRemote(connectionId, CLOSE_CODES.replaced, 'refused by the customer\'s page');
  }

  async attachHelper(conn: Connection, ticket: TicketRecord): Promise<void> {
    if (ticket.helperConnection && ticket.helperConnection !== conn.id) {
      this.closeRemote(ticket.helperConnection, CLOSE_CODES.replaced, 'replaced by a newer helper');
    }
    const result = await this.store.setPresence(ticket.id, { helperConnection: conn.id });
    if (!result.ok) conn.close(4401, 'ticket ended');
  }

  /**
   * Called when a socket closes. The member is marked away and the session waits for them: a page
   * that closed its socket on purpose (a closed tab, or a reload: the server cannot tell which)
   * CLOSED_GRACE_MS, a dropped connection MEMBER_GRACE_MS; the sweep ends it after that
   * (customerClosed, customerLeft...). "End session" ends it at once (session.end).
   */
  async detach(conn: Connection, cleanClose: boolean): Promise<void> {
    if (!this.connections.delete(conn.id)) return; // already handled (shutdown)
    // Each write below applies only while the record names this connection (or none: a sweep saw
    // the socket gone first), never over a newer connection of the same person.
    if (this.analysts.delete(conn)) this.reportTeam();
    if (conn.role === 'customer' && conn.ticketId) this.sentOutlooks.delete(conn.ticketId);
    const ticket = conn.ticketId ? this.store.get(conn.ticketId) : undefined;
    if (conn.role === 'helper' && ticket?.helperConnection === conn.id) {
      await this.store.setPresence(ticket.id, { helperConnection: null, onlyIf: { helperConnection: [conn.id, null] } });
      this.sendTo(ticket.customerConnection, { type: 'helper.status', connected: false });
    } else if (conn.role === 'customer' && ticket?.customerConnection === conn.id) {
      await this.store.setPresence(ticket.id, { customerConnection: null, closed: cleanClose && isInSession(ticket.state), onlyIf: { customerConnection: [conn.id, null] } });
    } else if (conn.role === 'analyst' && ticket?.analyst?.connectionId === conn.id) {
      await this.store.setPresence(ticket.id, { analystConnection: null, closed: cleanClose, onlyIf: { analystConnection: [conn.id, null] } });
    }
  }

  /**
   * Graceful shutdown: every person on this node is marked away first (so they can resume on
   * another node, or on this one once restarted), then told (close code 4503).
   */
  async shutdown(code: number, reason: string): Promise<void> {
    const mine = [...this.connections.values()];
    this.connections.clear();
    this.analysts.clear();
    for (const conn of mine) {
      const ticket = conn.ticketId ? this.store.get(conn.ticketId) : undefined;
      if (!ticket) continue;
      const presence =
        conn.role === 'customer' && ticket.customerConnection === conn.id ? { customerConnection: null }
        : conn.role === 'helper' && ticket.helperConnection === conn.id ? { helperConnection: null }
        : conn.role === 'analyst' && ticket.analyst?.connectionId === conn.id ? { analystConnection: null }
        : null;
      if (presence) await this.store.setPresence(ticket.id, presence).catch(() => undefined);
    }
    for (const conn of mine) conn.close(code, reason);
  }

  /** Closes an analyst's consoles after their account changed; they reconnect with the new rights. */
  refreshAnalyst(accountId: string): void {
    for (const conn of this.analysts) {
      if (conn.analyst?.id === accountId) conn.close(CLOSE_CODES.accountChanged, 'account changed');
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.unsubscribeTeam();
    clearTimeout(this.teamTimer);
    clearTimeout(this.reportTimer);
    this.outlookPass = null;
    this.passTimers.forEach((timer) => clearTimeout(timer));
    this.passTimers.clear();
    clearTimeout(this.queueTimer);
  }

  /**
   * The customer's status. While waiting it carries the outlook only when it differs from what
   * this customer was last told (a take moves hundreds of places; their outlook mostly stays), or
   * on `fresh` (a page that just connected knows nothing yet).
   */
  statusFor(ticket: TicketRecord, position = this.store.position(ticket.id), fresh = false): TicketStatus {
    this.sentPositions.set(ticket.id, position);
    let outlook = isWaiting(ticket.state) ? this.outlooks.outlook(ticket.queue, position) : undefined;
    if (outlook) {
      const key = outlookKey(outlook);
      if (!fresh && this.sentOutlooks.get(ticket.id) === key) outlook = undefined;
      else this.sentOutlooks.set(ticket.id, key);
    } else {
      this.sentOutlooks.delete(ticket.id);
    }
    const queueName = this.queueNames.get(ticket.queue) ?? ticket.queue;
    return {
      type: 'ticket.status',
      ticketId: ticket.id,
      queue: ticket.queue,
      queueName,
      name: ticket.customer.name,
      state: ticket.state,
      position,
      ...(ticket.analyst ? { analystName: ticket.analyst.name } : {}),
      ...(ticket.endReason ? { endReason: ticket.endReason } : {}),
      ...(outlook ? { outlook } : {}),
      // Handed over and not yet answered by the next analyst: the customer is told who passed it on, to whom.
      ...(ticket.transfer && (isWaiting(ticket.state) || ticket.state === 'offered')
        ? { transfer: { fromName: ticket.transfer.fromName, queueName, ...(ticket.transfer.reservedFor ? { toName: ticket.transfer.reservedFor.name } : {}) } }
        : {}),
    };
  }

  /** A colleague with a console open on any node (the team's presence), or undefined. */
  colleague(analystId: string): PresenceEntry | undefined {
    return this.team.all().find((entry) => entry.analystId === analystId);
  }

  queueExists(queue: string): boolean {
    return this.queueNames.has(queue);
  }

  private local(connectionId: string | null | undefined): Connection | undefined {
    return connectionId ? this.connections.get(connectionId) : undefined;
  }

  private onTicketChange(ticket: TicketRecord, previous: SessionState | null): void {
    const stateChanged = previous !== ticket.state;
    // Every node sees every take: each keeps the queues' pace for the estimates.
    if (previous === 'waiting' && ticket.state === 'offered') this.outlooks.recordTake(ticket.queue);
    if (previous !== null && isInSession(previous) && isWaiting(ticket.state)) this.handedOver(ticket);
    this.notifyQueueAnalysts(ticket, previous);
    this.notifySessionAnalyst(ticket, previous);

    const customer = this.local(ticket.customerConnection);
    // Before the status that opens the consent dialog: the page has its ICE servers when the customer clicks Allow.
    if (customer && stateChanged && ticket.state === 'offered') this.sendIce(customer, ticket);
    this.presenceToSend(ticket);
    if (customer && stateChanged) {
      const status = this.statusFor(ticket);
      // A session that went ahead may be rated once from the ended screen (routes/ratings.ts).
      if (isEnded(ticket.state) && (previous === 'consented' || previous === 'live')) {
        status.ratingToken = this.ratings.open({ sessionId: ticket.id, queue: ticket.queue, analystConnection: ticket.analyst?.connectionId ?? null });
      }
      customer.send(status);
    }

    // Positions move for everyone behind when a ticket joins or leaves the waiting line.
    const lineChanged = stateChanged && (previous === null || previous === 'waiting' || isWaiting(ticket.state));
    if (lineChanged) this.linesToSend(ticket.queue, this.store.placeOf(ticket));
    if (isEnded(ticket.state)) {
      this.sentPositions.delete(ticket.id);
      this.sentOutlooks.delete(ticket.id);
    }

    if (isEnded(ticket.state)) {
      if (customer) {
        customer.ticketId = null;
        customer.close(CLOSE_CODES.ended, 'ticket ended');
      }
      // The helper's pairing lives and dies with the session.
      void this.pairing.revoke(ticket.id).catch(() => undefined);
      this.local(ticket.helperConnection)?.close(CLOSE_CODES.ended, 'session ended');
    }
  }

  /**
   * The waiting line of `queue` changed at index `from` (a join there, or a leave from there):
   * the customers from there on may have moved, no one before. Once this turn's changes are in,
   * one pass from the first index that moved tells each one whose position changed: a join at the
   * end moves no one and sends nothing; a leave costs a frame per customer behind. A pass over a
   * long stretch of the line (more than LONG_PASS customers) runs at most once per POSITION_PASS_MS
   * per queue, so a burst of takes at the head of a long line makes one pass with the final
   * places, not one pass each (docs/benchmarks.md, queue).
   */
  private linesToSend(queue: string, from: number): void {
    const pending = this.pendingLines.get(queue);
    if (pending !== undefined) {
      if (from < pending) this.pendingLines.set(queue, from);
      return;
    }
    this.pendingLines.set(queue, from);
    queueMicrotask(() => {
      const start = this.pendingLines.get(queue) ?? 0;
      const long = this.store.waitingIn(queue).length - start > LONG_PASS;
      const wait = long ? (this.lastLongPass.get(queue) ?? -Infinity) + POSITION_PASS_MS - performance.now() : 0;
      if (wait <= 0) return this.passOver(queue, long);
      const timer = setTimeout(() => {
        this.passTimers.delete(timer);
        this.passOver(queue, true);
      }, wait);
      this.passTimers.add(timer);
    });
  }

  private passOver(queue: string, long: boolean): void {
    const from = this.pendingLines.get(queue);
    this.pendingLines.delete(queue);
    if (from === undefined) return;
    if (long) this.lastLongPass.set(queue, performance.now());
    const line = this.store.waitingIn(queue);
    for (let index = from; index < line.length; index++) {
      const other = line[index];
      const customer = this.local(other.customerConnection);
      // A new place is a new estimate: both go in one frame.
      if (customer && this.sentPositions.get(other.id) !== index + 1) customer.send(this.statusFor(other, index + 1));
    }
  }

  /** In a session, each member hears when the other's page goes away or comes back ("reconnecting…"). */
  private presenceToSend(ticket: TicketRecord): void {
    if (!isInSession(ticket.state)) {
      this.sentPresence.delete(ticket.id);
      return;
    }
    const frame = presenceOf(ticket);
    const key = `${frame.customer}/${frame.analyst}`;
    if (this.sentPresence.get(ticket.id) === key) return;
    this.sentPresence.set(ticket.id, key);
    this.local(ticket.customerConnection)?.send(frame);
    this.local(ticket.analyst?.connectionId)?.send(frame);
  }

  private notifyQueueAnalysts(ticket: TicketRecord, previous: SessionState | null): void {
    const wasWaiting = previous === 'waiting';
    if (!isWaiting(ticket.state) && !wasWaiting) return;
    const change: QueueChange = isWaiting(ticket.state)
      ? { upserted: toSummary(ticket) }
      : { removed: ticket.id, reason: isEnded(ticket.state) ? 'ended' : 'taken' };
    // The latest change of a ticket wins, in the place of its latest change.
    this.queueChanges.delete(ticket.id);
    this.queueChanges.set(ticket.id, { queue: ticket.queue, change });
    if (this.queueTimer) return;
    // The first change after a quiet interval goes out at once (after this turn's other changes);
    // the ones that follow within QUEUE_CHANGES_MS go together at its end.
    const wait = Math.max(0, this.lastQueueFlush + QUEUE_CHANGES_MS - performance.now());
    this.queueTimer = setTimeout(() => this.flushQueueChanges(), wait);
  }

  /** The queues' pending changes to every console: one frame per set of queues watched, serialised once. */
  private flushQueueChanges(): void {
    this.queueTimer = undefined;
    this.lastQueueFlush = performance.now();
    const changes = [...this.queueChanges.values()];
    this.queueChanges.clear();
    const frames = new Map<string, string | null>();
    for (const conn of this.analysts) {
      const queues = conn.analyst?.queues;
      if (!queues) continue;
      const key = queues.join('\n');
      let text = frames.get(key);
      if (text === undefined) {
        const mine = changes.filter((c) => queues.includes(c.queue)).map((c) => c.change);
        text = mine.length === 0 ? null : JSON.stringify(mine.length === 1 ? singleQueueChange(mine[0]) : { type: 'queue.changes', changes: mine });
        frames.set(key, text);
      }
      if (text) conn.sendSerialized(text);
    }
  }

  /** The console that handed the session over hears it is no longer its own. */
  private handedOver(ticket: TicketRecord): void {
    const conn = this.local(ticket.transfer?.fromConnection);
    if (!conn) return;
    conn.send({ type: 'session.state', sessionId: ticket.id, state: 'ended', endReason: 'transferred' });
    if (conn.ticketId === ticket.id) {
      conn.ticketId = null;
      this.reportTeam();
    }
  }

  private notifySessionAnalyst(ticket: TicketRecord, previous: SessionState | null): void {
    if (!ticket.analyst || previous === ticket.state) return;
    const conn = this.local(ticket.analyst.connectionId);
    if (!conn) return;
    if (previous === 'waiting') {
      conn.ticketId = ticket.id;
      conn.route = null;
      conn.send({ type: 'session.started', sessionId: ticket.id, ticket: toSummary(ticket) });
      this.reportTeam();
      return;
    }
    if (previous === 'offered' && ticket.state === 'consented') this.sendIce(conn, ticket);
    conn.send({ type: 'session.state', sessionId: ticket.id, state: ticket.state, ...(ticket.endReason ? { endReason: ticket.endReason } : {}) });
    if (isEnded(ticket.state) && conn.ticketId === ticket.id) {
      conn.ticketId = null;
      this.reportTeam();
    }
  }
}
