import type { AnalystStatus, QueueTeamEntry } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { RedisLink } from './redis/link.js';

/** One analyst as one node sees them: their consoles on that node merged. */
export interface PresenceEntry {
  analystId: string;
  name: string;
  status: AnalystStatus;
  /** Since when (epoch ms) the analyst has had this status. */
  since: number;
  queues: string[];
  /** The session they are in, if any. */
  sessionId: string | null;
  /** That session's media route, as their page measured it (session.route); null until known. */
  route?: 'direct' | 'relay' | null;
}

/**
 * Who of the team is online, available or away, on every node: each node reports its own
 * analysts, every node reads everyone's. Memory only (a node that goes away takes its analysts
 * with it within PRESENCE_TTL_MS).
 */
export interface TeamPresence {
  /** This node's analysts now (the whole list; it replaces the last one). */
  report(entries: PresenceEntry[]): void;
  /** Every node's analysts, one entry per analyst (merged: available if any console is). */
  all(): PresenceEntry[];
  /** Called after the merged view changed (another node's report, or one of ours). */
  onChange(handler: () => void): () => void;
  stop(): Promise<void>;
}

/** Several consoles of one analyst (two tabs, two nodes) make one person. */
export function mergeEntries(entries: PresenceEntry[]): PresenceEntry[] {
  const byAnalyst = new Map<string, PresenceEntry>();
  for (const entry of entries) {
    const seen = byAnalyst.get(entry.analystId);
    if (!seen) {
      byAnalyst.set(entry.analystId, { ...entry, queues: [...entry.queues] });
      continue;
    }
    if (entry.status === 'available' && seen.status === 'away') Object.assign(seen, { status: 'available', since: entry.since });
    else if (entry.status === seen.status) seen.since = Math.min(seen.since, entry.since);
    if (!seen.sessionId && entry.sessionId) Object.assign(seen, { sessionId: entry.sessionId, route: entry.route ?? null });
  }
  return [...byAnalyst.values()];
}

/**
 * How the team's views show an analyst: in a session by the store's word (`inSession`: the truth at
 * once; the presence's own sessionId can be a report behind), else their own status.
 */
export function shownStatus(entry: PresenceEntry, inSession: (sessionId: string) => boolean): AnalystStatus | 'inSession' {
  return entry.sessionId && inSession(entry.sessionId) ? 'inSession' : entry.status;
}

/** Each queue's team: online (a console open), available (available and not in a session). */
export function teamOf(entries: PresenceEntry[], queues: string[]): QueueTeamEntry[] {
  return queues.map((queue) => {
    const members = entries.filter((e) => e.queues.includes(queue));
    return { queue, online: members.length, available: members.filter((e) => e.status === 'available' && !e.sessionId).length };
  });
}

type Handler = () => void;

function notify(handlers: Set<Handler>): void {
  for (const handler of handlers) {
    try {
      handler();
    } catch {
      // one listener's failure must not stop the others
    }
  }
}

export class MemoryTeamPresence implements TeamPresence {
  private entries: PresenceEntry[] = [];
  private key = '[]';
  private readonly handlers = new Set<Handler>();

  report(entries: PresenceEntry[]): void {
    const merged = mergeEntries(entries);
    const key = JSON.stringify(merged);
    if (key === this.key) return;
    this.entries = merged;
    this.key = key;
    notify(this.handlers);
  }

  all(): PresenceEntry[] {
    return this.entries;
  }

  onChange(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async stop(): Promise<void> {}
}

/** A node's report is refreshed this often, and dropped by the others when older than PRESENCE_TTL_MS. */
export const PRESENCE_BEAT_MS = 3000;
export const PRESENCE_TTL_MS = 10_000;

/**
 * Redis: one hash, a field per node holding its report and when it was made. A node writes its
 * report on every change and every PRESENCE_BEAT_MS, then tells the others on a channel; each one
 * reads the hash again. A node that died stops refreshing and its analysts drop out.
 */
export class RedisTeamPresence implements TeamPresence {
  private mine: PresenceEntry[] = [];
  private merged: PresenceEntry[] = [];
  private mergedKey = '[]';
  /** The other nodes' analysts as last read. */
  private othersCache: PresenceEntry[] = [];
  private readonly handlers = new Set<Handler>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | null = null;
  private again = false;

  private constructor(private readonly link: RedisLink, private readonly nodeId: string, private readonly clock: Clock) {}

  static async start(link: RedisLink, nodeId: string, clock: Clock): Promise<RedisTeamPresence> {
    const presence = new RedisTeamPresence(link, nodeId, clock);
    // Another node's report (the message is its node id); our own is read right after our write.
    await link.listen('presence', (node) => {
      if (node !== nodeId) void presence.read().catch(() => undefined);
    });
    link.onReconnect(() => void presence.read().catch(() => undefined));
    await presence.write();
    presence.timer = setInterval(() => void presence.write().catch(() => undefined), PRESENCE_BEAT_MS);
    presence.timer.unref();
    return presence;
  }

  report(entries: PresenceEntry[]): void {
    this.mine = entries;
    // Our own change shows here at once; the others hear it through Redis.
    this.apply([...this.othersCache, ...entries]);
    void this.write().catch(() => undefined);
  }

  all(): PresenceEntry[] {
    return this.merged;
  }

  onChange(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.link.cmd.hdel(this.link.key('presence'), this.nodeId).catch(() => undefined);
    await this.link.publish('presence', this.nodeId).catch(() => undefined);
  }

  /** One write at a time; changes made meanwhile go in one more write after it. */
  private async write(): Promise<void> {
    if (this.writing) {
      this.again = true;
      return this.writing;
    }
    this.writing = (async () => {
      do {
        this.again = false;
        await this.link.cmd.hset(this.link.key('presence'), this.nodeId, JSON.stringify({ at: this.clock.now(), entries: this.mine }));
        await this.link.publish('presence', this.nodeId);
        await this.read();
      } while (this.again);
    })().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private async read(): Promise<void> {
    const all = await this.link.cmd.hgetall(this.link.key('presence'));
    const now = this.clock.now();
    const others: PresenceEntry[] = [];
    for (const [node, raw] of Object.entries(all)) {
      if (node === this.nodeId) continue;
      try {
        const report = JSON.parse(raw) as { at: number; entries: PresenceEntry[] };
        if (now - report.at <= PRESENCE_TTL_MS) others.push(...report.entries);
        // A report this old is a node that died without its goodbye: forget it for everyone.
        else if (now - report.at > 6 * PRESENCE_TTL_MS) void this.link.cmd.hdel(this.link.key('presence'), node).catch(() => undefined);
      } catch {
        // a report we cannot read counts as no report
      }
    }
    this.othersCache = others;
    this.apply([...others, ...this.mine]);
  }

  private apply(entries: PresenceEntry[]): void {
    const merged = mergeEntries(entries).sort((a, b) => a.analystId.localeCompare(b.analystId));
    const key = JSON.stringify(merged);
    if (key === this.mergedKey) return;
    this.merged = merged;
    this.mergedKey = key;
    notify(this.handlers);
  }
}
