import type { EndReason, SessionState } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { isEnded, type SessionEvent } from '../session-machine.js';
import { decideApply, decidePresence, decideTake, decideTransfer, dueToEnd, newTicket } from '../store/ticket-rules.js';
import { WaitingLines } from '../store/waiting-lines.js';
import type { AbsenceLimits, AnalystRef, NewTicket, Presence, StoreResult, TicketListener, TicketRecord, TicketStore, TransferTarget } from '../store/ticket-store.js';
import type { RedisLink } from './link.js';

// Compare-and-set of one ticket, atomic in Redis: commit only if the stored version is the one the
// decision was made on, then announce the change to every node. Returns 1 (done), 0 (someone else
// changed it first: decide again) or -1 (it no longer exists).
const CAS = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current then return 0 end
else
  if not current then return -1 end
  if tostring(cjson.decode(current).version) ~= ARGV[1] then return 0 end
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('SET', KEYS[2], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[3])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;

interface ChangeEvent {
  ticket: TicketRecord;
  previous: SessionState | null;
}

/**
 * Tickets in Redis, shared by every signaling node. Each node keeps a replica in memory for reads
 * (kept current by the change events every commit publishes); every write decides on the record as
 * Redis has it and commits with a compare-and-set, retrying when another node got there first.
 */
export class RedisTicketStore implements TicketStore {
  private readonly replica = new Map<string, TicketRecord>();
  /** The waiting lines of these records, kept in order (waiting-lines.ts). */
  private readonly lines = new WaitingLines();
  private readonly byTokenIndex = new Map<string, string>();
  private readonly listeners = new Set<TicketListener>();

  private constructor(private readonly link: RedisLink, private readonly clock: Clock) {}

  static async open(link: RedisLink, clock: Clock): Promise<RedisTicketStore> {
    const store = new RedisTicketStore(link, clock);
    // Listen first, then load: an event that races the load is applied by version, never lost.
    await link.listen('events', (raw) => {
      const event = JSON.parse(raw) as ChangeEvent;
      store.applyLocal(event.ticket, event.previous);
    });
    for (const ticket of await store.readAll()) store.applyLocal(ticket, null, false);
    link.onReconnect(() => void store.resync().catch(() => undefined));
    return store;
  }

  /**
   * After the connection to Redis was lost: the change events published meanwhile never arrived,
   * so read every ticket again. A ticket Redis no longer has ended meanwhile (an ended ticket's
   * record is deleted), or was lost with a store that restarted empty: it ends here too.
   */
  async resync(): Promise<void> {
    const present = new Set<string>();
    for (const ticket of await this.readAll()) {
      present.add(ticket.id);
      this.applyLocal(ticket, this.replica.get(ticket.id)?.state ?? null);
    }
    for (const ticket of [...this.replica.values()]) {
      if (present.has(ticket.id)) continue;
      this.applyLocal({ ...ticket, state: 'ended', endReason: ticket.endReason ?? 'expired', version: ticket.version + 1 }, ticket.state);
    }
  }

  private async readAll(): Promise<TicketRecord[]> {
    const ids = await this.link.cmd.smembers(this.link.key('tickets'));
    if (ids.length === 0) return [];
    const records = await this.link.cmd.mget(ids.map((id) => this.link.key(`ticket:${id}`)));
    return records.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as TicketRecord);
  }

  async create(input: NewTicket): Promise<TicketRecord> {
    const seq = await this.link.cmd.incr(this.link.key('seq'));
    const ticket = newTicket(input, this.clock.now(), seq);
    if ((await this.commit(ticket, null, '0')) !== 1) throw new Error('ticket id collision');
    return ticket;
  }

  get(id: string): TicketRecord | undefined {
    return this.replica.get(id);
  }

  byToken(token: string): TicketRecord | undefined {
    const id = this.byTokenIndex.get(token);
    return id === undefined ? undefined : this.replica.get(id);
  }

  async fetchByToken(token: string): Promise<TicketRecord | undefined> {
    const local = this.byToken(token);
    if (local || !/^[A-Za-z0-9_-]{1,64}$/.test(token)) return local;
    const id = await this.link.cmd.get(this.link.key(`token:${token}`));
    const raw = id ? await this.link.cmd.get(this.link.key(`ticket:${id}`)) : null;
    // Not put into the replica: the change event that is on its way does that, and tells the hub.
    return raw ? (JSON.parse(raw) as TicketRecord) : undefined;
  }

  waitingIn(queue: string): readonly TicketRecord[] {
    return this.lines.line(queue);
  }

  position(id: string): number {
    return this.lines.position(this.replica.get(id));
  }

  placeOf(ticket: TicketRecord): number {
    return this.lines.placeOf(ticket);
  }

  waitingFrom(origin: string): number {
    return this.lines.waitingFrom(origin);
  }

  take(id: string, analyst: AnalystRef): Promise<StoreResult> {
    return this.decide(id, (ticket) => decideTake(ticket, analyst, this.clock.now()));
  }
  async transfer(id: string, by: string, target: TransferTarget): Promise<StoreResult> {
    return this.decide(id, (ticket) => decideTransfer(ticket, by, target, this.clock.now()));
  }


  apply(id: string, event: SessionEvent, endReason?: EndReason): Promise<StoreResult> {
    return this.decide(id, (ticket) => decideApply(ticket, event, endReason));
  }

  setPresence(id: string, presence: Presence): Promise<StoreResult> {
    return this.decide(id, (ticket) => decidePresence(ticket, presence, this.clock.now()));
  }

  async expireOffline(limits: AbsenceLimits): Promise<string[]> {
    const now = this.clock.now();
    const expired: string[] = [];
    for (const ticket of [...this.replica.values()].filter((t) => dueToEnd(t, now, limits))) {
      // Every node sweeps; the compare-and-set lets exactly one of them end each ticket.
      const result = await this.decide(ticket.id, (t) => {
        const reason = t ? dueToEnd(t, now, limits) : null;
        return reason ? decideApply(t, 'end', reason) : { ok: false, code: 'session.invalidTransition' };
      });
      if (result.ok) expired.push(ticket.id);
    }
    return expired;
  }

  all(): TicketRecord[] {
    return [...this.replica.values()];
  }

  subscribe(listener: TicketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {}

  private async decide(id: string, rule: (ticket: TicketRecord | undefined) => StoreResult): Promise<StoreResult> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const raw = await this.link.cmd.get(this.link.key(`ticket:${id}`));
      const current = raw ? (JSON.parse(raw) as TicketRecord) : undefined;
      const result = rule(current);
      if (!result.ok || !current || result.ticket === current) return result;
      const committed = await this.commit(result.ticket, current.state, String(current.version));
      if (committed === 1) return result;
      // 0: another node changed it first; -1: it ended meanwhile. Decide again on the new record.
    }
    throw new Error(`ticket ${id}: too much contention`);
  }

  private async commit(ticket: TicketRecord, previous: SessionState | null, expectedVersion: string): Promise<number> {
    const { link } = this;
    const ended = isEnded(ticket.state);
    const event = JSON.stringify({ ticket, previous } satisfies ChangeEvent);
    const result = (await link.cmd.eval(
      CAS, 3,
      link.key(`ticket:${ticket.id}`), link.key(`token:${ticket.token}`), link.key('tickets'),
      expectedVersion, ended ? '' : JSON.stringify(ticket), ticket.id, link.key('events'), event,
    )) as number;
    // Apply at once on this node: the event's echo (same version) is then a no-op, and a handler's
    // next read already sees its own write.
    if (result === 1) this.applyLocal(ticket, previous);
    return result;
  }

  /** Applies a change to this node's replica (once: versions only move forward) and tells the hub. */
  private applyLocal(ticket: TicketRecord, previous: SessionState | null, notify = true): void {
    if (this.ended.has(ticket.id)) return; // over: a late, older event cannot bring it back
    const known = this.replica.get(ticket.id);
    if (known && known.version >= ticket.version) return;
    this.lines.update(known, isEnded(ticket.state) ? undefined : ticket);
    if (isEnded(ticket.state)) {
      this.rememberEnded(ticket.id);
      this.replica.delete(ticket.id);
      this.byTokenIndex.delete(ticket.token);
    } else {
      this.replica.set(ticket.id, ticket);
      this.byTokenIndex.set(ticket.token, ticket.id);
    }
    if (notify) for (const listener of this.listeners) listener(ticket, previous);
  }

  /** Ended ticket ids, kept ten minutes (longer than any event can lag). */
  private readonly ended = new Map<string, number>();

  private rememberEnded(id: string): void {
    const now = this.clock.now();
    this.ended.set(id, now);
    if (this.ended.size > 1000) for (const [key, at] of this.ended) if (now - at > 10 * 60_000) this.ended.delete(key);
  }
}
